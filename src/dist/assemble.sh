#!/usr/bin/env bash
# Assembles the self-contained distribution (mvn -Pdist package runs this after the jars are built):
#   target/dist/statex/
#     bin/statex        the CLI            bin/statex-bench  the JMH benchmarks   bin/statex-test  the test suites
#     lib/              engine, JavaCPP, CUDA presets, OpenBLAS (CPU natives slimmed), picocli, benchmarks + JMH
#     test-lib/         the test classes and the JUnit console launcher
#     jre/              a jlink'd Java 17 runtime, used when the host has no Java 17
#   target/statex-dist.tar.gz
# Nothing is downloaded: every input comes from the Maven build.
set -euo pipefail
target=$(cd "$1" && pwd)
java_home=$2
root=$(cd "$target/.." && pwd)
dist=$target/dist/statex
max_mib=64

rm -rf "$target/dist"
mkdir -p "$dist/lib" "$dist/test-lib" "$dist/bin"

cp "$target/statex.jar" "$dist/lib/"
for jar in "$target"/lib/*.jar; do
  case "$(basename "$jar")" in
    openblas-*-linux-x86_64.jar) ;;  # slimmed below
    *) cp "$jar" "$dist/lib/" ;;
  esac
done

# OpenBLAS natives: keep the no-LAPACK JNI library and what it needs (drops ~48 MB of LAPACK glue).
ob=$(ls "$target"/lib/openblas-*-linux-x86_64.jar)
tmp=$(mktemp -d)
(cd "$tmp" && unzip -q "$ob" && rm -f org/bytedeco/openblas/linux-x86_64/libjniopenblas.so \
  org/bytedeco/openblas/linux-x86_64/libjniopenblas_full.so && zip -q -r -9 "$dist/lib/$(basename "$ob")" .)
rm -rf "$tmp"

# Test classes + the JUnit console launcher (it bundles the Jupiter engine: no other JUnit jars).
cp "$target/statex-tests.jar" "$dist/test-lib/"
cp "$target"/test-lib/junit-platform-console-standalone-*.jar "$dist/test-lib/junit-console.jar"

# The benchmarks (the module's thin jar + JMH); the shaded benchmarks.jar stays in benchmarks/target.
if [ -f "$root/benchmarks/pom.xml" ]; then
  mvn_cmd=${MVN:-mvn}
  "$mvn_cmd" -B -q install:install-file -Dfile="$target/statex.jar" -DpomFile="$root/pom.xml"
  "$mvn_cmd" -B -q -f "$root/benchmarks/pom.xml" package -DskipTests
  cp "$root/benchmarks/target/statex-benchmarks.jar" "$dist/lib/"
  cp "$root"/benchmarks/target/jmh-lib/*.jar "$dist/lib/"
fi

# A Java 17 runtime for hosts without one. java.desktop (8 MiB packed) is only for the PNG plots of
# statex eval and statex demo; STATEX_DIST_NO_DESKTOP=1 leaves it out (a GPU-host copy that must stay
# under 64 MiB with the source tree beside it; that copy cannot draw the plots).
modules=java.base,java.logging,java.management,java.xml,jdk.unsupported,jdk.zipfs
[ "${STATEX_DIST_NO_DESKTOP:-0}" = 1 ] || modules=$modules,java.desktop
"$java_home/bin/jlink" --add-modules "$modules" \
  --strip-debug --no-man-pages --no-header-files --compress=2 --output "$dist/jre"

cp "$root"/src/dist/bin/* "$dist/bin/"
chmod +x "$dist"/bin/*

tar -C "$target/dist" -czf "$target/statex-dist.tar.gz" statex
size=$(du -sm "$dist" | cut -f1)
tgz=$(du -m "$target/statex-dist.tar.gz" | cut -f1)
echo "statex: distribution in $dist (${size} MiB), archive target/statex-dist.tar.gz (${tgz} MiB)"
if [ "$tgz" -gt "$max_mib" ]; then
  echo "statex: the archive exceeds ${max_mib} MiB" >&2
  exit 1
fi
