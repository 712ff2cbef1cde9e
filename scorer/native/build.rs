// JavaScript's String.prototype.toLowerCase, code point by code point, read
// from the Node.js that builds this (NODE, else `node` on PATH): the pass
// lowercases exactly as the JavaScript families do, whatever Unicode version
// Rust's tables follow. Final sigma, the one mapping that depends on its
// context, takes the Cased and Case_Ignorable properties from the same place.
use std::env;
use std::fs;
use std::path::Path;
use std::process::Command;

const SCRIPT: &str = r#"
const rows = [];
for (let c = 0x80; c < 0x110000; c++) {
  if (c >= 0xd800 && c <= 0xdfff) continue;
  const s = String.fromCodePoint(c);
  const l = s.toLowerCase();
  if (l !== s) rows.push(`(${c}, &[${[...l].map((x) => x.codePointAt(0)).join(', ')}])`);
}
const ranges = (re) => {
  const out = [];
  for (let c = 0; c < 0x110000; c++) {
    if (!re.test(String.fromCodePoint(c))) continue;
    const last = out[out.length - 1];
    if (last !== undefined && last[1] === c - 1) last[1] = c;
    else out.push([c, c]);
  }
  return out.map(([a, b]) => `(${a}, ${b})`).join(', ');
};
process.stdout.write(`pub static CASED: &[(u32, u32)] = &[${ranges(/^\p{Cased}$/u)}];\n`);
process.stdout.write(`pub static CASE_IGNORABLE: &[(u32, u32)] = &[${ranges(/^\p{Case_Ignorable}$/u)}];\n`);
process.stdout.write(`pub const UNICODE: &str = ${JSON.stringify(process.versions.unicode)};\n`);
process.stdout.write(`pub static LOWER: &[(u32, &[u32])] = &[\n${rows.join(',\n')}\n];\n`);
"#;

fn main() {
    let node = env::var("NODE").unwrap_or_else(|_| "node".to_string());
    let output = Command::new(&node)
        .arg("-e")
        .arg(SCRIPT)
        .output()
        .unwrap_or_else(|e| panic!("running {node} for the lowercase table: {e}"));
    if !output.status.success() {
        panic!(
            "{node} failed to print the lowercase table: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("lowercase.rs");
    fs::write(out, output.stdout).unwrap();
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=NODE");
}
