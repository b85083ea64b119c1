package io.statex.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Several shards read as one token stream, in the order given (a directory: its {@code *.tokens}
 * files sorted by name). The shards must agree on vocabulary size and EOS id, since a consumer
 * treats the stream as one corpus; widths may differ.
 */
public final class TokenShards implements TokenSource, AutoCloseable {
  /** The file name ending {@link #openDirectory} picks up. */
  public static final String EXTENSION = ".tokens";

  private final List<TokenShard> shards;
  private final long[] starts;

  private TokenShards(List<TokenShard> shards) {
    this.shards = List.copyOf(shards);
    this.starts = new long[shards.size() + 1];
    for (int s = 0; s < shards.size(); s++) {
      starts[s + 1] = starts[s] + shards.get(s).size();
    }
  }

  /** Opens the files in order; each is validated as {@link TokenShard#open} does. */
  public static TokenShards open(List<Path> files) throws IOException {
    return open(files, TokenShard.DEFAULT_WINDOW_BYTES);
  }

  public static TokenShards open(List<Path> files, long windowBytes) throws IOException {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("files: expected at least one shard, found none");
    }
    List<TokenShard> opened = new ArrayList<>();
    try {
      for (Path f : files) {
        TokenShard shard = TokenShard.open(f, windowBytes);
        opened.add(shard);
        checkAgrees(opened.get(0), shard);
      }
    } catch (IOException | RuntimeException e) {
      opened.forEach(TokenShard::close);
      throw e;
    }
    return new TokenShards(opened);
  }

  /** Opens every {@code *.tokens} file of dir, sorted by file name. */
  public static TokenShards openDirectory(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + EXTENSION)) {
      ds.forEach(files::add);
    }
    if (files.isEmpty()) {
      throw new IOException(dir + ": no shard files (*" + EXTENSION + ") in the directory");
    }
    files.sort(null);
    return open(files);
  }

  private static void checkAgrees(TokenShard first, TokenShard shard) throws ShardFormatException {
    if (shard.vocabSize() != first.vocabSize()) {
      throw new ShardFormatException(shard.path(), "vocab", "expected " + first.vocabSize() + " as in " + first.path()
          + ", found " + shard.vocabSize());
    }
    if (shard.eosId() != first.eosId()) {
      throw new ShardFormatException(shard.path(), "eos", "expected " + first.eosId() + " as in " + first.path()
          + ", found " + shard.eosId());
    }
  }

  public List<TokenShard> shards() {
    return shards;
  }

  @Override
  public long size() {
    return starts[shards.size()];
  }

  @Override
  public int vocabSize() {
    return shards.get(0).vocabSize();
  }

  @Override
  public int eosId() {
    return shards.get(0).eosId();
  }

  @Override
  public int get(long i) {
    Ranges.checkIndex(i, size());
    int s = shardOf(i);
    return shards.get(s).get(i - starts[s]);
  }

  @Override
  public void read(long start, int[] dst, int off, int len) {
    Ranges.checkRead(start, dst, off, len, size());
    while (len > 0) {
      int s = shardOf(start);
      int n = (int) Math.min(len, starts[s + 1] - start);
      shards.get(s).read(start - starts[s], dst, off, n);
      start += n;
      off += n;
      len -= n;
    }
  }

  /** The shard holding index i: the last s with starts[s] <= i, which skips empty shards. */
  private int shardOf(long i) {
    int lo = 0;
    int hi = shards.size();
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (starts[mid] <= i) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public void close() {
    shards.forEach(TokenShard::close);
  }
}
