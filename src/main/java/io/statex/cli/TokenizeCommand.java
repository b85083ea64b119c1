package io.statex.cli;

import io.statex.data.TokenShardWriter;
import io.statex.io.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code statex tokenize}: text files and JSON lines in, token shards out ({@code part-NNNNN.tokens},
 * read back by {@code TokenShards.openDirectory}). Each document is encoded with the tokenizer's
 * special tokens (the LLaMA tokenizer of GLA puts BOS first; the GPT-NeoX one of Mamba2 adds none)
 * and followed by EOS, as the StateX data pipeline does; {@code --no-bos} and {@code --no-eos} turn
 * either off. A new shard starts after the document that fills {@code --shard-tokens}. A progress
 * line on stderr updates about once a second.
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
    description = "Tokenize text files (one document each) or JSON lines (a \"text\" field per line) into token shards.")
public final class TokenizeCommand implements Callable<Integer> {
  @Option(names = "--tokenizer", required = true, description = "The tokenizer.json to encode with.")
  Path tokenizer;

  @Option(names = "--out", required = true, description = "Directory for the shards (created; must hold no *.tokens yet).")
  Path out;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Inputs: *.jsonl[.gz] as JSON lines, anything else as one document.")
  List<Path> inputs;

  @Option(names = "--text-field", defaultValue = "text", description = "The JSON lines' text field (default ${DEFAULT-VALUE}).")
  String field;

  @Option(names = "--shard-tokens", defaultValue = "100000000", description = "Tokens per shard, about (default ${DEFAULT-VALUE}).")
  long shardTokens;

  @Option(names = "--max-doc-chars", defaultValue = "67108864", description = "Longest document accepted (default ${DEFAULT-VALUE}).")
  int maxDocChars;

  @Option(names = "--no-bos", description = "Encode without the tokenizer's special tokens (no BOS).")
  boolean noBos;

  @Option(names = "--no-eos", description = "Do not append EOS after each document.")
  boolean noEos;

  @Override
  public Integer call() throws Exception {
    if (shardTokens < 1 || maxDocChars < 1) {
      throw new IllegalArgumentException("--shard-tokens and --max-doc-chars must be >= 1, got " + shardTokens + ", " + maxDocChars);
    }
    Tokenizer tok = Tokenizer.fromJson(tokenizer);
    if (!noEos && tok.eosId().isEmpty()) {
      throw new IllegalArgumentException("--tokenizer: " + tokenizer + " names no EOS token; pass --no-eos to write documents without one");
    }
    int eos = noEos ? -1 : tok.eosId().getAsInt(); // the shards record the separator only when it is there
    prepare(out);
    long t0 = System.nanoTime();
    try (Shards shards = new Shards(out, tok.vocabSize(), eos, shardTokens, System.err)) {
      long docs = 0;
      for (Path in : inputs) {
        docs += Documents.read(in, field, maxDocChars, text -> {
          shards.document(tok.encode(text, !noBos));
        });
      }
      shards.finish();
      System.out.printf(Locale.ROOT, "statex tokenize: %,d documents, %,d tokens in %d shard(s) under %s (vocab %d, EOS %d, BOS %s) in %.1f s%n",
          docs, shards.tokens, shards.count, out, tok.vocabSize(), eos, noBos ? "off" : "as the tokenizer adds it",
          (System.nanoTime() - t0) / 1e9);
    }
    return 0;
  }

  /** Creates dir; refuses one that already holds shards, which a second run would mix with. */
  private static void prepare(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "*.tokens")) {
      if (old.iterator().hasNext()) {
        throw new IllegalArgumentException("--out: " + dir + " already holds *.tokens files; choose an empty directory");
      }
    }
  }

  /** The shards being written: the open one, rolled over between documents, and the progress line. */
  static final class Shards implements AutoCloseable {
    private final Path dir;
    private final int vocab;
    private final int eos;
    private final long perShard;
    private final PrintStream progress;
    private final long start = System.nanoTime();
    private TokenShardWriter writer;
    private long lastReport = start;
    long tokens;
    long docs;
    int count;

    Shards(Path dir, int vocab, int eos, long perShard, PrintStream progress) {
      this.dir = dir;
      this.vocab = vocab;
      this.eos = eos;
      this.perShard = perShard;
      this.progress = progress;
    }

    /** Appends a document and, when the shards have one, the EOS after it. */
    void document(int[] ids) throws IOException {
      if (writer == null) {
        writer = TokenShardWriter.create(dir.resolve(String.format("part-%05d.tokens", count++)), vocab <= 65536 ? 2 : 4, vocab, eos);
      }
      writer.append(ids);
      if (eos >= 0) {
        writer.append(eos);
      }
      tokens += ids.length + (eos >= 0 ? 1 : 0);
      docs++;
      if (writer.count() >= perShard) {
        writer.close();
        writer = null;
      }
      long now = System.nanoTime();
      if (now - lastReport > 1_000_000_000L) {
        lastReport = now;
        progress.printf(Locale.ROOT, "\rtokenize: %,d documents, %,d tokens, %d shard(s), %.0f tokens/s   ", docs, tokens,
            count, tokens / ((now - start) / 1e9));
      }
    }

    /** Commits the open shard. */
    void finish() throws IOException {
      if (writer != null) {
        writer.close();
        writer = null;
      }
    }

    /** Drops a shard left open by a failure (committed shards stay), ends the progress line. */
    @Override
    public void close() throws IOException {
      if (writer != null) {
        writer.abort();
        writer = null;
      }
      if (lastReport != start) {
        progress.println();
      }
    }
  }
}
