//! The states as JSON for the JavaScript side, which builds the families'
//! FamilyState messages from them: keys as the families spell them, counts
//! in any order (encoding sorts them).

use crate::families::{Family, Slot};
use crate::prf::{key_text, Prf};
use crate::text::Interner;
use std::fmt::Write;

pub fn states_json(slots: &[Slot], strings: &Interner, docs: u64) -> String {
    let mut out = String::new();
    let _ = write!(out, "{{\"docs\":{docs},\"families\":[");
    for (i, slot) in slots.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"family\":");
        string(&mut out, slot.name.as_bytes());
        let _ = write!(out, ",\"annotatedDocs\":{},", slot.annotated);
        if let Family::Deps { state, .. } = &slot.family {
            out.push_str("\"deps\":{\"base\":");
            entries(&mut out, &slot.state, strings);
            out.push_str(",\"indices\":[");
            for (k, (index, (if_present, if_missing))) in state.per_index.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{{\"index\":{index},\"ifPresent\":");
                entries(&mut out, if_present, strings);
                out.push_str(",\"ifMissing\":");
                entries(&mut out, if_missing, strings);
                out.push('}');
            }
            out.push_str("],\"missing\":[");
            for (k, index) in state.missing.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{index}");
            }
            out.push_str("]}}");
        } else {
            out.push_str("\"counts\":");
            entries(&mut out, &slot.state, strings);
            out.push('}');
        }
    }
    out.push_str("]}");
    out
}

fn entries(out: &mut String, prf: &Prf, strings: &Interner) {
    out.push('[');
    for (k, (key, counts)) in prf.entries.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str("{\"key\":");
        string(out, &key_text(*key, strings));
        let _ = write!(out, ",\"tp\":{},\"fp\":{},\"fn\":{}}}", counts[0], counts[1], counts[2]);
    }
    out.push(']');
}

fn string(out: &mut String, bytes: &[u8]) {
    // Interned values come from UTF-8 records.
    let text = String::from_utf8_lossy(bytes);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
