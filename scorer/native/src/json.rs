//! A JSON reader over one record's bytes, for the fields the document pass
//! reads. It accepts what JSON.parse accepts only where that is plain; any
//! other form (escaped surrogates, numbers with fractions or exponents where
//! an index is read, nesting past a limit) is `Irregular`, and the caller's
//! JavaScript document pass reads the files instead.

use std::borrow::Cow;

/// Not the plain case: the JavaScript document pass decides. Where in this
/// source the pass gave up, for tests and `irregular` lines.
#[derive(Debug)]
pub struct Irregular(pub &'static std::panic::Location<'static>);

#[track_caller]
#[inline]
pub fn irregular() -> Irregular {
    Irregular(std::panic::Location::caller())
}

pub type R<T> = Result<T, Irregular>;

const MAX_DEPTH: usize = 512;

pub struct Reader<'a> {
    pub bytes: &'a [u8],
    pub at: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    #[inline]
    pub fn space(&mut self) {
        while let Some(&b) = self.bytes.get(self.at) {
            if b == b' ' || b == b'\t' || b == b'\n' || b == b'\r' {
                self.at += 1;
            } else {
                break;
            }
        }
    }

    #[inline]
    pub fn peek(&mut self) -> Option<u8> {
        self.space();
        self.bytes.get(self.at).copied()
    }

    #[inline]
    fn expect(&mut self, byte: u8) -> R<()> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(irregular())
        }
    }

    pub fn end(&mut self) -> R<()> {
        self.space();
        if self.at == self.bytes.len() {
            Ok(())
        } else {
            Err(irregular())
        }
    }

    /// A string, borrowed where it has no escapes. Control characters and
    /// escaped surrogates, NUL and U+0001 are irregular.
    pub fn string(&mut self) -> R<Cow<'a, [u8]>> {
        self.expect(b'"')?;
        let start = self.at;
        let bytes = self.bytes;
        let mut i = start;
        loop {
            let b = *bytes.get(i).ok_or(irregular())?;
            if b == b'"' {
                self.at = i + 1;
                return Ok(Cow::Borrowed(&bytes[start..i]));
            }
            if b == b'\\' {
                break;
            }
            if b < 0x20 {
                return Err(irregular());
            }
            i += 1;
        }
        let mut out = bytes[start..i].to_vec();
        loop {
            let b = *bytes.get(i).ok_or(irregular())?;
            i += 1;
            match b {
                b'"' => {
                    self.at = i;
                    return Ok(Cow::Owned(out));
                }
                b'\\' => {
                    let e = *bytes.get(i).ok_or(irregular())?;
                    i += 1;
                    match e {
                        b'"' => out.push(b'"'),
                        b'\\' => out.push(b'\\'),
                        b'/' => out.push(b'/'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let hex = bytes.get(i..i + 4).ok_or(irregular())?;
                            i += 4;
                            let mut code = 0u32;
                            for &h in hex {
                                code = code * 16 + (h as char).to_digit(16).ok_or(irregular())?;
                            }
                            if (0xd800..=0xdfff).contains(&code) || code < 2 {
                                return Err(irregular());
                            }
                            let c = char::from_u32(code).ok_or(irregular())?;
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => return Err(irregular()),
                    }
                }
                b if b < 0x20 => return Err(irregular()),
                b => out.push(b),
            }
        }
    }

    /// A non-negative integer written as plain digits (what Number.isInteger
    /// and >= 0 accept, in its plain form).
    pub fn index(&mut self) -> R<u64> {
        self.space();
        let start = self.at;
        let mut value: u64 = 0;
        while let Some(&b) = self.bytes.get(self.at) {
            if b.is_ascii_digit() {
                value = value
                    .checked_mul(10)
                    .and_then(|v| v.checked_add((b - b'0') as u64))
                    .ok_or(irregular())?;
                self.at += 1;
            } else {
                break;
            }
        }
        let digits = self.at - start;
        if digits == 0 || digits > 15 || (digits > 1 && self.bytes[start] == b'0') {
            return Err(irregular());
        }
        if matches!(self.bytes.get(self.at), Some(b'.') | Some(b'e') | Some(b'E')) {
            return Err(irregular());
        }
        Ok(value)
    }

    /// A number of JSON's grammar whose value is finite in JavaScript; its
    /// text. Exponents are irregular (1e400 is Infinity there).
    pub fn number(&mut self) -> R<&'a [u8]> {
        self.number_of(false)
    }

    fn number_of(&mut self, exponent: bool) -> R<&'a [u8]> {
        self.space();
        let start = self.at;
        let bytes = self.bytes;
        if bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        let int_start = self.at;
        while matches!(bytes.get(self.at), Some(b) if b.is_ascii_digit()) {
            self.at += 1;
        }
        let int_digits = self.at - int_start;
        if int_digits == 0 || (int_digits > 300 && !exponent) || (int_digits > 1 && bytes[int_start] == b'0') {
            return Err(irregular());
        }
        if bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            let frac_start = self.at;
            while matches!(bytes.get(self.at), Some(b) if b.is_ascii_digit()) {
                self.at += 1;
            }
            if self.at == frac_start {
                return Err(irregular());
            }
        }
        if matches!(bytes.get(self.at), Some(b'e') | Some(b'E')) {
            if !exponent {
                return Err(irregular());
            }
            self.at += 1;
            if matches!(bytes.get(self.at), Some(b'+') | Some(b'-')) {
                self.at += 1;
            }
            let exponent_start = self.at;
            while matches!(bytes.get(self.at), Some(b) if b.is_ascii_digit()) {
                self.at += 1;
            }
            if self.at == exponent_start {
                return Err(irregular());
            }
        }
        Ok(&bytes[start..self.at])
    }

    fn literal(&mut self, word: &[u8]) -> R<()> {
        self.space();
        if self.bytes.get(self.at..self.at + word.len()) == Some(word) {
            self.at += word.len();
            Ok(())
        } else {
            Err(irregular())
        }
    }

    /// true, false or null; anything else is irregular.
    pub fn boolean_or_null(&mut self) -> R<Option<bool>> {
        match self.peek() {
            Some(b't') => self.literal(b"true").map(|_| Some(true)),
            Some(b'f') => self.literal(b"false").map(|_| Some(false)),
            Some(b'n') => self.literal(b"null").map(|_| None),
            _ => Err(irregular()),
        }
    }

    pub fn is_null(&mut self) -> bool {
        if self.peek() == Some(b'n') && self.bytes.get(self.at..self.at + 4) == Some(b"null") {
            self.at += 4;
            true
        } else {
            false
        }
    }

    /// Any value, checked and passed over.
    pub fn skip(&mut self) -> R<()> {
        self.skip_at(0)
    }

    fn skip_at(&mut self, depth: usize) -> R<()> {
        if depth > MAX_DEPTH {
            return Err(irregular());
        }
        match self.peek().ok_or(irregular())? {
            b'"' => self.string().map(|_| ()),
            // A value no family reads: repeated keys do not matter to it.
            b'{' => self.object(|r, _| r.skip_at(depth + 1)),
            b'[' => self.array(|r| r.skip_at(depth + 1)),
            b't' | b'f' | b'n' => self.boolean_or_null().map(|_| ()),
            // A value no family reads may be any number JSON.parse reads.
            _ => self.number_of(true).map(|_| ()),
        }
    }

    /// An object's members in order; `member` reads each value.
    pub fn object<F: FnMut(&mut Self, Cow<'a, [u8]>) -> R<()>>(&mut self, mut member: F) -> R<()> {
        self.expect(b'{')?;
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(());
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(irregular());
            }
            let key = self.string()?;
            self.expect(b':')?;
            member(self, key)?;
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(());
                }
                _ => return Err(irregular()),
            }
        }
    }

    pub fn array<F: FnMut(&mut Self) -> R<()>>(&mut self, mut item: F) -> R<()> {
        self.expect(b'[')?;
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(());
        }
        loop {
            item(self)?;
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(());
                }
                _ => return Err(irregular()),
            }
        }
    }
}
