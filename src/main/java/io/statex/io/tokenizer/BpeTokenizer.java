package io.statex.io.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The encoding pipeline of a tokenizer.json, stage by stage as the reference library runs it: cut
 * at added tokens, normalize each stretch between them, pre-tokenize it into pieces, BPE each
 * piece, then add the post-processor's special tokens. Decoding maps ids to token strings and runs
 * the decoder chain.
 */
final class BpeTokenizer implements Tokenizer {
  /** The special ids resolved at load time (-1: none). */
  record SpecialIds(int bos, int eos, int unk) {}

  private final BpeModel model;
  private final AddedTokens added;
  private final Normalizer normalizer; // null: none
  private final PreTokenizer preTokenizer; // null: the whole stretch is one piece
  private final PostProcessor postProcessor;
  private final Decoder decoder; // null: tokens joined with spaces, as in the reference
  private final SpecialIds specialIds;
  private final int vocabSize;

  BpeTokenizer(
      BpeModel model,
      AddedTokens added,
      Normalizer normalizer,
      PreTokenizer preTokenizer,
      PostProcessor postProcessor,
      Decoder decoder,
      SpecialIds specialIds) {
    this.model = model;
    this.added = added;
    this.normalizer = normalizer;
    this.preTokenizer = preTokenizer;
    this.postProcessor = postProcessor;
    this.decoder = decoder;
    this.specialIds = specialIds;
    int size = model.size();
    for (AddedTokens.AddedToken t : added.all()) {
      size = Math.max(size, t.id() + 1);
    }
    this.vocabSize = size;
  }

  @Override
  public int[] encode(String text, boolean addSpecialTokens) {
    if (text == null) {
      throw new IllegalArgumentException("text: expected a string, got null");
    }
    IntList ids = new IntList(text.length() / 3 + 8);
    if (addSpecialTokens) {
      ids.addAll(postProcessor.prefix());
    }
    List<String> pieces = new ArrayList<>();
    for (AddedTokens.Section section : added.split(Text.wellFormed(text))) {
      if (section.id() >= 0) {
        ids.add(section.id());
        continue;
      }
      String s = normalizer == null ? section.text() : normalizer.normalize(section.text());
      if (s.isEmpty()) {
        continue;
      }
      pieces.clear();
      if (preTokenizer == null) {
        pieces.add(s);
      } else {
        preTokenizer.split(s, section.start() == 0, pieces);
      }
      for (String piece : pieces) {
        model.encodeWord(piece, ids);
      }
    }
    if (addSpecialTokens) {
      ids.addAll(postProcessor.suffix());
    }
    return ids.toArray();
  }

  @Override
  public String decode(int[] ids, boolean skipSpecialTokens) {
    List<String> tokens = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      int id = ids[i];
      if (!isAssigned(id)) {
        throw new IllegalArgumentException(
            "ids[" + i + "]: expected an assigned id in [0, " + vocabSize + "), got " + id);
      }
      if (!(skipSpecialTokens && isSpecial(id))) {
        tokens.add(token(id));
      }
    }
    if (decoder == null) {
      return String.join(" ", tokens);
    }
    return String.join("", decoder.decodeChain(tokens));
  }

  /** The same pipeline with other special ids (from tokenizer_config.json). */
  BpeTokenizer withSpecialIds(SpecialIds ids) {
    return new BpeTokenizer(model, added, normalizer, preTokenizer, postProcessor, decoder, ids);
  }

  boolean isAssigned(int id) {
    return id >= 0 && id < vocabSize && token(id) != null;
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public OptionalInt tokenToId(String token) {
    AddedTokens.AddedToken t = added.get(token);
    if (t != null) {
      return OptionalInt.of(t.id());
    }
    Integer id = model.id(token);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  @Override
  public String idToToken(int id) {
    if (!isAssigned(id)) {
      throw new IllegalArgumentException(
          "id: expected an assigned id in [0, " + vocabSize + "), got " + id);
    }
    return token(id);
  }

  @Override
  public boolean isSpecial(int id) {
    AddedTokens.AddedToken t = added.get(id);
    return t != null && t.special();
  }

  @Override
  public OptionalInt bosId() {
    return optional(specialIds.bos());
  }

  @Override
  public OptionalInt eosId() {
    return optional(specialIds.eos());
  }

  @Override
  public OptionalInt unkId() {
    return optional(specialIds.unk());
  }

  /** Added tokens take precedence over the model vocabulary, as in the reference library. */
  private String token(int id) {
    AddedTokens.AddedToken t = added.get(id);
    return t != null ? t.content() : model.token(id);
  }

  private static OptionalInt optional(int id) {
    return id < 0 ? OptionalInt.empty() : OptionalInt.of(id);
  }
}
