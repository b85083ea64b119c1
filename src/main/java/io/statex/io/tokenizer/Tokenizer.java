package io.statex.io.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Text to token ids and back, read from a Hugging Face {@code tokenizer.json}.
 *
 * <p>Two BPE families are supported, the ones the engine's models were trained with: the
 * SentencePiece-style BPE with byte fallback of LLaMA-2 (GLA-1.3B: a "▁" prefix and space
 * replacement by the normalizer or a Metaspace pre-tokenizer, {@code <0xNN>} tokens for bytes the
 * vocabulary lacks, BOS added by a TemplateProcessing post-processor) and the byte-level BPE of
 * GPT-2 / GPT-NeoX (Mamba2-1.3B: NFC, the GPT-2 split regex, bytes mapped to printable characters,
 * merges by rank). A file using any other component is refused with an error naming it.
 *
 * <p><b>Why plain Java.</b> The maintained Java binding of the Hugging Face library (DJL's {@code
 * ai.djl.huggingface:tokenizers}, 0.38.0) was checked and not chosen: its jar is 17.3 MiB with
 * native builds for four platforms (the linux-x86_64 one alone 14.8 MiB uncompressed), it adds
 * DJL's api, JNA, Gson, commons-compress/io/codec and SLF4J (22.4 MiB of jars in all, against a
 * 64 MiB limit on the whole distribution), it extracts its native library into a cache under the
 * user's home at run time, and on a host with a recent CUDA and an sm_80/86/89/90 GPU it downloads
 * a CUDA build of that library from DJL's server unless offline mode is set. The engine must run
 * with no network and a small distribution, so the two families are implemented here (docs/
 * tokenizers.md has the evidence and the conformance tests).
 *
 * <p>Implementations are immutable and safe to share between threads.
 */
public interface Tokenizer {
  /**
   * Reads a {@code tokenizer.json} (or {@code tokenizer.json.gz}). If a {@code
   * tokenizer_config.json} lies beside it, its {@code bos_token}, {@code eos_token} and {@code
   * unk_token} name the special tokens; otherwise they are taken from the file itself (see {@link
   * #bosId()}).
   *
   * @throws IOException if the file cannot be read, is not strict JSON, is too large, or describes
   *     a pipeline this reader does not support; the message names the field
   */
  static Tokenizer fromJson(Path file) throws IOException {
    return TokenizerJson.read(file);
  }

  /** Encodes with the special tokens of the file's post-processor (LLaMA: a leading BOS). */
  default int[] encode(String text) {
    return encode(text, true);
  }

  /**
   * Encodes {@code text}. Unpaired surrogates are encoded as U+FFFD, as a UTF-8 encoder would
   * write them. Special-token strings in the text (such as {@code "</s>"}) become their ids, as
   * in the reference library.
   *
   * @param addSpecialTokens whether to add the post-processor's special tokens
   */
  int[] encode(String text, boolean addSpecialTokens);

  /** Decodes every id, special tokens included. */
  default String decode(int[] ids) {
    return decode(ids, false);
  }

  /**
   * Decodes {@code ids} through the file's decoder. Byte tokens that do not form valid UTF-8
   * become U+FFFD.
   *
   * @throws IllegalArgumentException if an id is outside [0, vocabSize())
   */
  String decode(int[] ids, boolean skipSpecialTokens);

  /** One more than the largest id, counting the model vocabulary and the added tokens. */
  int vocabSize();

  /** The id of {@code token}, or empty if it is neither in the vocabulary nor an added token. */
  OptionalInt tokenToId(String token);

  /**
   * The token string of {@code id} (byte-level tokens in their printable-character form).
   *
   * @throws IllegalArgumentException if the id is outside [0, vocabSize()) or unassigned
   */
  String idToToken(int id);

  /** Whether {@code id} is a special added token (skipped by {@code decode(ids, true)}). */
  boolean isSpecial(int id);

  /**
   * The beginning-of-sequence id: from tokenizer_config.json when present, else the special token
   * the post-processor puts first, else a special added token named {@code <s>}, {@code
   * <|begin_of_text|>} or {@code <bos>}.
   */
  OptionalInt bosId();

  /**
   * The end-of-sequence id: from tokenizer_config.json when present, else a special token the
   * post-processor puts last, else a special added token named {@code </s>}, {@code
   * <|endoftext|>}, {@code <|end_of_text|>} or {@code <eos>}.
   */
  OptionalInt eosId();

  /** The model's unknown token id, if it has one. */
  OptionalInt unkId();
}
