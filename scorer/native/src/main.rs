//! evalshard's JSONL document pass for the plain case, natively: the ten
//! spaCy families over a gold and a predicted file, read in lockstep, record
//! by record, in bounded memory.
//!
//!   evalshard-docpass --unicode=VERSION [--max-strings=N] GOLD PREDICTED GOLD_NAME PREDICTED_NAME FAMILY...
//!
//! VERSION is the caller's Unicode version (process.versions.unicode): the
//! pass lowercases with the tables of the Node.js that built it, and gives
//! up on any other. N bounds the distinct values it keeps (about a million
//! by default); past it, it gives up.
//! FAMILY is tokenization, sents, tag, pos, morph, lemma, morph_per_feat,
//! ents, deps=reference, deps=per-example, or spans=OVERLAP:KEY (OVERLAP 1
//! or 0), in the order the run reports them. GOLD_NAME and PREDICTED_NAME
//! are the files' base names, which name a document without an "id".
//!
//! Writes `progress DOCS BYTES` lines while it reads, then one line
//! `states JSON` (exit 0). Anything but the plain case — a record
//! docFromJson would refuse, documents that do not pair, a form this reader
//! does not take — ends with `irregular WHERE` and exit 3: the JavaScript
//! document pass then scores the files, or says what is wrong and where.

mod align;
mod doc;
mod families;
mod json;
mod output;
mod prf;
mod record;
mod sentences;
mod spaces;
mod text;

use doc::{Context, LEMMA, MORPH, POS, TAG};
use families::{Caches, Family, Shared, Slot};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};

/// What readLineRecords refuses by default (DEFAULT_MAX_RECORD_BYTES).
const MAX_RECORD_BYTES: usize = 16 << 20;
const PROGRESS_EVERY: u64 = 20_000;

struct Records {
    reader: BufReader<File>,
    offset: u64,
    line: Vec<u8>,
    /// Byte offset of the record in `line`.
    start: u64,
}

impl Records {
    fn open(path: &str) -> Option<Self> {
        let file = File::open(path).ok()?;
        Some(Records {
            reader: BufReader::with_capacity(1 << 20, file),
            offset: 0,
            line: Vec::new(),
            start: 0,
        })
    }

    /// The next record (a line that is not blank, without its terminator), or None at the end.
    fn next(&mut self) -> Result<Option<&[u8]>, String> {
        loop {
            self.line.clear();
            // A record past the limit is not read whole: the document pass reports it without holding it either.
            let limit = (MAX_RECORD_BYTES + 2) as u64;
            let read = (&mut self.reader)
                .take(limit)
                .read_until(b'\n', &mut self.line)
                .map_err(|e| e.to_string())?;
            if read == 0 {
                return Ok(None);
            }
            self.start = self.offset;
            self.offset += read as u64;
            let mut end = self.line.len();
            if self.line[end - 1] == b'\n' {
                end -= 1;
            }
            // As readLineRecords counts it: a carriage return before the newline counts, and a long blank line is long.
            if end > MAX_RECORD_BYTES {
                return Err(format!("byte {}: a record longer than {} bytes", self.start, MAX_RECORD_BYTES));
            }
            if end > 0 && self.line[end - 1] == b'\r' {
                end -= 1;
            }
            if self.line[..end].iter().all(|&b| b == b' ' || b == b'\t' || b == b'\r') {
                continue;
            }
            if std::str::from_utf8(&self.line[..end]).is_err() {
                return Err(format!("byte {}: not UTF-8", self.start));
            }
            return Ok(Some(&self.line[..end]));
        }
    }
}

fn give_up(reason: String) -> ! {
    println!("irregular {reason}");
    std::process::exit(3);
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 6 || !args[0].starts_with("--unicode=") {
        eprintln!("usage: evalshard-docpass --unicode=VERSION [--max-strings=N] GOLD PREDICTED GOLD_NAME PREDICTED_NAME FAMILY...");
        std::process::exit(2);
    }
    let unicode = args.remove(0);
    let max_strings = match args.first().and_then(|a| a.strip_prefix("--max-strings=")) {
        Some(n) => {
            let n = n.parse().unwrap_or(text::MAX_STRINGS);
            args.remove(0);
            n
        }
        None => text::MAX_STRINGS,
    };
    if unicode["--unicode=".len()..] != *text::UNICODE {
        give_up(format!(
            "built with Unicode {}'s lowercasing, asked for {}",
            text::UNICODE,
            &unicode["--unicode=".len()..]
        ));
    }
    let mut span_keys: Vec<Vec<u8>> = Vec::new();
    let mut plan: Vec<(String, Family)> = Vec::new();
    for spec in &args[4..] {
        let family = match spec.as_str() {
            "tokenization" => Family::Tokenization,
            "sents" => Family::Sents,
            "tag" => Family::Attr(TAG),
            "pos" => Family::Attr(POS),
            "morph" => Family::Attr(MORPH),
            "lemma" => Family::Attr(LEMMA),
            "morph_per_feat" => Family::MorphPerFeat,
            "ents" => Family::Ents,
            "deps=reference" => Family::Deps {
                per_example: false,
                state: Default::default(),
            },
            "deps=per-example" => Family::Deps {
                per_example: true,
                state: Default::default(),
            },
            other => match other.strip_prefix("spans=") {
                Some(rest) if rest.starts_with("1:") || rest.starts_with("0:") => {
                    span_keys.push(rest.as_bytes()[2..].to_vec());
                    Family::Spans {
                        group: span_keys.len() - 1,
                        allow_overlap: rest.starts_with('1'),
                    }
                }
                _ => {
                    eprintln!("evalshard-docpass: unknown family {other}");
                    std::process::exit(2);
                }
            },
        };
        let name = match &family {
            Family::Deps { .. } => "deps".to_string(),
            Family::Spans { .. } => format!("spans:{}", &spec["spans=1:".len()..]),
            _ => spec.clone(),
        };
        plan.push((name, family));
    }
    let mut ctx = Context::new(&span_keys);
    ctx.strings.limit = max_strings;
    let mut slots: Vec<Slot> = plan
        .into_iter()
        .map(|(name, family)| Slot {
            name,
            family,
            state: Default::default(),
            annotated: 0,
        })
        .collect();
    let (gold_path, predicted_path) = (&args[0], &args[1]);
    let fallback = |name: &str, offset: u64| format!("{name}@{offset}").into_bytes();
    let mut golds = Records::open(gold_path).unwrap_or_else(|| give_up(format!("{gold_path}: cannot open")));
    let mut predictions = Records::open(predicted_path).unwrap_or_else(|| give_up(format!("{predicted_path}: cannot open")));
    let mut caches = Caches::new(&mut ctx.strings);
    let mut docs: u64 = 0;
    let stdout = std::io::stdout();
    loop {
        let gold_line = golds.next().unwrap_or_else(|e| give_up(format!("{gold_path}: {e}")));
        let gold = match gold_line {
            None => None,
            Some(line) => {
                Some(doc::read_doc(line, &mut ctx).unwrap_or_else(|e| give_up(format!("{gold_path}: byte {} ({})", golds.start, e.0))))
            }
        };
        let predicted_line = predictions.next().unwrap_or_else(|e| give_up(format!("{predicted_path}: {e}")));
        let predicted = match predicted_line {
            None => None,
            Some(line) => Some(
                doc::read_doc(line, &mut ctx)
                    .unwrap_or_else(|e| give_up(format!("{predicted_path}: byte {} ({})", predictions.start, e.0))),
            ),
        };
        let (gold, predicted) = match (gold, predicted) {
            (None, None) => break,
            (Some(g), Some(p)) => (g, p),
            _ => give_up("the files hold different numbers of documents".to_string()),
        };
        // Both carry their own ids: they must agree (pairDocs).
        if let (Some(g), Some(p)) = (&gold.id, &predicted.id) {
            if *g != fallback(&args[2], golds.start) && *p != fallback(&args[3], predictions.start) && g != p {
                give_up(format!("{gold_path}: byte {}: ids differ", golds.start));
            }
        }
        let where_ = || format!("{gold_path}: byte {} and {predicted_path}: byte {}", golds.start, predictions.start);
        let alignment = align::align(&predicted, &gold).unwrap_or_else(|e| give_up(format!("{} ({})", where_(), e.0)));
        let mut shared = Shared {
            strings: &mut ctx.strings,
            caches: &mut caches,
            empty: ctx.empty,
        };
        for slot in slots.iter_mut() {
            slot.update(&gold, &predicted, &alignment, &mut shared)
                .unwrap_or_else(|e| give_up(format!("{} ({})", where_(), e.0)));
        }
        if ctx.strings.full() {
            give_up(format!(
                "more than {max_strings} distinct values (tags, lemmas, labels, …); the document pass holds them a document at a time"
            ));
        }
        docs += 1;
        if docs % PROGRESS_EVERY == 0 {
            let mut out = stdout.lock();
            let _ = writeln!(out, "progress {docs} {}", golds.offset);
            let _ = out.flush();
        }
    }
    let mut out = stdout.lock();
    let _ = writeln!(out, "states {}", output::states_json(&slots, &ctx.strings, docs));
    let _ = out.flush();
}
