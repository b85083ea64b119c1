package io.statex.io.tokenizer;

import io.statex.io.json.JsonException;
import io.statex.io.json.JsonObject;
import io.statex.io.json.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The BPE model: a vocabulary, merges ranked by their order in the file, and how to encode a piece
 * (a "word"). A word starts as one symbol per character (or, with byte fallback, per UTF-8 byte of
 * a character the vocabulary lacks, as {@code <0xNN>}); then the adjacent pair whose merge has the
 * lowest rank is merged, leftmost first among equal ranks, until no adjacent pair has a merge.
 *
 * <p>Symbols live in arrays linked as a list; candidate merges wait in a binary heap keyed by
 * (rank, position), and a popped candidate is skipped if its pair has changed since it was pushed.
 * This is O(n log n) in the word length, so a long unsplit text (LLaMA's files have no
 * pre-tokenizer) stays fast. Short words are cached.
 */
final class BpeModel {
  /** Largest id accepted (exclusive): bounds the id-to-token table before it is allocated. */
  static final int MAX_ID = 1 << 21;

  private static final int CACHE_MAX_WORD_CHARS = 64;
  private static final int CACHE_MAX_ENTRIES = 1 << 16;

  private final Map<String, Integer> tokenToId;
  private final String[] idToToken;
  private final PairRanks merges;
  private final int[] mergedId; // by rank
  private final int[] byteIds; // id of <0xNN> per byte when byte_fallback is on, else null
  private final int unkId; // -1 when none
  private final boolean fuseUnk;
  private final boolean ignoreMerges;
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();

  private BpeModel(
      Map<String, Integer> tokenToId,
      String[] idToToken,
      PairRanks merges,
      int[] mergedId,
      int[] byteIds,
      int unkId,
      boolean fuseUnk,
      boolean ignoreMerges) {
    this.tokenToId = tokenToId;
    this.idToToken = idToToken;
    this.merges = merges;
    this.mergedId = mergedId;
    this.byteIds = byteIds;
    this.unkId = unkId;
    this.fuseUnk = fuseUnk;
    this.ignoreMerges = ignoreMerges;
  }

  /** Reads the {@code model} object of a tokenizer.json. */
  static BpeModel fromJson(JsonObject model) throws IOException {
    String type = model.string("type", "BPE");
    if (!type.equals("BPE")) {
      throw Components.unsupported(model, "model", type);
    }
    rejectUnsupportedOptions(model);
    Map<String, Integer> tokenToId = readVocab(model);
    String[] idToToken = new String[1 + tokenToId.values().stream().mapToInt(i -> i).max().orElse(-1)];
    for (Map.Entry<String, Integer> e : tokenToId.entrySet()) {
      if (idToToken[e.getValue()] != null) {
        throw new TokenizerFormatException(
            model.pathOf("vocab")
                + ": id "
                + e.getValue()
                + " is given to both \""
                + idToToken[e.getValue()]
                + "\" and \""
                + e.getKey()
                + "\"");
      }
      idToToken[e.getValue()] = e.getKey();
    }
    List<JsonValue> mergeList = model.array("merges");
    PairRanks ranks = new PairRanks(mergeList.size());
    int[] mergedId = new int[mergeList.size()];
    for (int rank = 0; rank < mergeList.size(); rank++) {
      String[] pair = mergePair(mergeList.get(rank), JsonObject.elementPath(model.pathOf("merges"), rank));
      String where = JsonObject.elementPath(model.pathOf("merges"), rank);
      int left = vocabId(tokenToId, pair[0], where);
      int right = vocabId(tokenToId, pair[1], where);
      mergedId[rank] = vocabId(tokenToId, pair[0] + pair[1], where);
      ranks.put(left, right, rank); // a repeated pair takes its last rank, as in the reference
    }
    String unk = model.string("unk_token", null);
    int unkId = unk == null ? -1 : vocabId(tokenToId, unk, model.pathOf("unk_token"));
    int[] byteIds = model.bool("byte_fallback", false) ? byteTokenIds(tokenToId, model) : null;
    return new BpeModel(
        tokenToId,
        idToToken,
        ranks,
        mergedId,
        byteIds,
        unkId,
        model.bool("fuse_unk", false),
        model.bool("ignore_merges", false));
  }

  int size() {
    return idToToken.length;
  }

  /** The token of {@code id}, or null if the vocabulary does not assign it. */
  String token(int id) {
    return id >= 0 && id < idToToken.length ? idToToken[id] : null;
  }

  /** The unk_token's id, or -1. */
  int unkId() {
    return unkId;
  }

  Integer id(String token) {
    return tokenToId.get(token);
  }

  /** Appends the ids of one word to {@code out}. */
  void encodeWord(String word, IntList out) {
    if (word.isEmpty()) {
      return;
    }
    if (ignoreMerges) {
      Integer whole = tokenToId.get(word);
      if (whole != null) {
        out.add(whole);
        return;
      }
    }
    boolean cacheable = word.length() <= CACHE_MAX_WORD_CHARS;
    int[] ids = cacheable ? cache.get(word) : null;
    if (ids == null) {
      ids = merge(word);
      if (cacheable) {
        if (cache.size() >= CACHE_MAX_ENTRIES) {
          cache.clear(); // a crude bound; the hot words come back within a few sentences
        }
        cache.put(word, ids);
      }
    }
    out.addAll(ids);
  }

  private int[] merge(String word) {
    Symbols s = initialSymbols(word);
    int n = s.count;
    if (n < 2 || merges.isEmpty()) {
      return s.ids();
    }
    LongHeap heap = new LongHeap(n);
    for (int i = 0; i + 1 < n; i++) {
      pushPair(s, heap, i);
    }
    while (!heap.isEmpty()) {
      long key = heap.pop();
      int rank = (int) (key >>> 32);
      int pos = (int) key;
      int nx = s.next[pos];
      if (s.id[pos] < 0 || nx < 0 || merges.get(s.id[pos], s.id[nx]) != rank) {
        continue; // stale: this pair was changed by an earlier merge
      }
      s.id[pos] = mergedId[rank];
      s.id[nx] = -1;
      s.next[pos] = s.next[nx];
      if (s.next[pos] >= 0) {
        s.prev[s.next[pos]] = pos;
      }
      if (s.prev[pos] >= 0) {
        pushPair(s, heap, s.prev[pos]);
      }
      pushPair(s, heap, pos);
    }
    return s.ids();
  }

  private void pushPair(Symbols s, LongHeap heap, int pos) {
    int nx = s.next[pos];
    if (nx < 0) {
      return;
    }
    int rank = merges.get(s.id[pos], s.id[nx]);
    if (rank >= 0) {
      heap.push(((long) rank << 32) | pos);
    }
  }

  /** One symbol per character; bytes or unk for characters outside the vocabulary. */
  private Symbols initialSymbols(String word) {
    // A BMP character falls back to at most 3 bytes, a surrogate pair (2 chars) to 4.
    Symbols s = new Symbols(word.length() * (byteIds != null ? 3 : 1));
    for (int i = 0; i < word.length(); ) {
      int cp = word.codePointAt(i);
      int len = Character.charCount(cp);
      Integer id = tokenToId.get(word.substring(i, i + len));
      if (id != null) {
        s.add(id);
      } else if (byteIds != null) {
        for (byte b : word.substring(i, i + len).getBytes(StandardCharsets.UTF_8)) {
          s.add(byteIds[b & 0xff]);
        }
      } else if (unkId >= 0) {
        if (!(fuseUnk && s.count > 0 && s.id[s.count - 1] == unkId)) {
          s.add(unkId);
        }
      } else {
        throw new IllegalArgumentException(
            String.format(
                "text: character U+%04X is not in the vocabulary, which has no unk_token and no"
                    + " byte fallback",
                cp));
      }
      i += len;
    }
    return s;
  }

  // ---- reading ----

  private static void rejectUnsupportedOptions(JsonObject model) throws IOException {
    for (String key : List.of("continuing_subword_prefix", "end_of_word_suffix")) {
      String v = model.string(key, "");
      if (!v.isEmpty()) {
        throw new TokenizerFormatException(
            model.pathOf(key) + ": unsupported (expected null or \"\", got \"" + v + "\")");
      }
    }
    JsonValue dropout = model.get("dropout");
    if (dropout != null && !(dropout instanceof JsonValue.Num d && d.toDouble() == 0)) {
      throw new TokenizerFormatException(
          model.pathOf("dropout") + ": unsupported (expected null or 0, got " + JsonObject.describe(dropout) + ")");
    }
  }

  private static Map<String, Integer> readVocab(JsonObject model) throws JsonException {
    JsonObject vocab = model.object("vocab");
    Map<String, Integer> tokenToId = new HashMap<>(vocab.size() * 2);
    for (String token : vocab.keys()) {
      String where = JsonObject.entryPath(vocab.path(), token);
      tokenToId.put(token, JsonObject.asInt(vocab.get(token), where, 0, MAX_ID - 1));
    }
    return tokenToId;
  }

  /** A merge as "left right" (one space) or ["left", "right"]. */
  private static String[] mergePair(JsonValue merge, String where) throws IOException {
    if (merge instanceof JsonValue.Str str) {
      String s = str.value();
      int space = s.indexOf(' ');
      if (space <= 0 || space == s.length() - 1 || s.indexOf(' ', space + 1) >= 0) {
        throw new TokenizerFormatException(
            where + ": expected \"left right\" with exactly one space, got \"" + s + "\"");
      }
      return new String[] {s.substring(0, space), s.substring(space + 1)};
    }
    if (merge instanceof JsonValue.Arr arr) {
      List<JsonValue> list = arr.items();
      if (list.size() != 2) {
        throw new TokenizerFormatException(
            where + ": expected a pair [left, right], got " + list.size() + " elements");
      }
      return new String[] {
        JsonObject.asString(list.get(0), JsonObject.elementPath(where, 0)),
        JsonObject.asString(list.get(1), JsonObject.elementPath(where, 1))
      };
    }
    throw JsonObject.typeError(where, "a string \"left right\" or an array [left, right]", merge);
  }

  private static int vocabId(Map<String, Integer> tokenToId, String token, String where)
      throws TokenizerFormatException {
    Integer id = tokenToId.get(token);
    if (id == null) {
      throw new TokenizerFormatException(
          where + ": token \"" + token + "\" is not in model.vocab");
    }
    return id;
  }

  private static int[] byteTokenIds(Map<String, Integer> tokenToId, JsonObject model)
      throws TokenizerFormatException {
    int[] ids = new int[256];
    for (int b = 0; b < 256; b++) {
      ids[b] = vocabId(tokenToId, String.format("<0x%02X>", b), model.pathOf("byte_fallback"));
    }
    return ids;
  }

  // ---- working storage ----

  /** The symbols of one word as a doubly linked list over arrays. */
  private static final class Symbols {
    final int[] id;
    final int[] prev;
    final int[] next;
    int count;

    Symbols(int capacity) {
      id = new int[capacity];
      prev = new int[id.length];
      next = new int[id.length];
    }

    void add(int tokenId) {
      id[count] = tokenId;
      prev[count] = count - 1;
      next[count] = -1;
      if (count > 0) {
        next[count - 1] = count;
      }
      count++;
    }

    int[] ids() {
      IntList out = new IntList(count);
      for (int i = count > 0 ? 0 : -1; i >= 0; i = next[i]) {
        if (id[i] >= 0) {
          out.add(id[i]);
        }
      }
      return out.toArray();
    }
  }

  /** Open-addressing map from a pair of ids to the merge rank (-1 when absent). */
  private static final class PairRanks {
    private final long[] keys;
    private final int[] ranks;
    private final int mask;
    private int size;

    PairRanks(int expected) {
      int capacity = Integer.highestOneBit(Math.max(4, expected * 2 + 1)) << 1;
      keys = new long[capacity];
      ranks = new int[capacity];
      Arrays.fill(ranks, -1);
      mask = capacity - 1;
    }

    boolean isEmpty() {
      return size == 0;
    }

    void put(int left, int right, int rank) {
      long key = key(left, right);
      int slot = slot(key);
      while (ranks[slot] >= 0 && keys[slot] != key) {
        slot = (slot + 1) & mask;
      }
      if (ranks[slot] < 0) {
        size++;
      }
      keys[slot] = key;
      ranks[slot] = rank;
    }

    int get(int left, int right) {
      long key = key(left, right);
      for (int slot = slot(key); ranks[slot] >= 0; slot = (slot + 1) & mask) {
        if (keys[slot] == key) {
          return ranks[slot];
        }
      }
      return -1;
    }

    private static long key(int left, int right) {
      return ((long) left << 32) | (right & 0xffffffffL);
    }

    private int slot(long key) {
      long h = key * 0x9E3779B97F4A7C15L;
      return (int) (h >>> 40) & mask;
    }
  }

  /** A binary min-heap of longs. */
  private static final class LongHeap {
    private long[] heap;
    private int size;

    LongHeap(int capacity) {
      heap = new long[Math.max(4, capacity)];
    }

    boolean isEmpty() {
      return size == 0;
    }

    void push(long v) {
      if (size == heap.length) {
        heap = Arrays.copyOf(heap, size * 2);
      }
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (heap[parent] <= v) {
          break;
        }
        heap[i] = heap[parent];
        i = parent;
      }
      heap[i] = v;
    }

    long pop() {
      long top = heap[0];
      long last = heap[--size];
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && heap[child + 1] < heap[child]) {
          child++;
        }
        if (heap[child] >= last) {
          break;
        }
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
      return top;
    }
  }
}
