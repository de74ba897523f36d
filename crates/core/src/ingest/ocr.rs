//! Pages whose text cannot be trusted, and reading them again with OCR.
//!
//! A PDF's text layer can lie: a font without a Unicode map gives
//! "7KLV'DWD3URFHVVLQJ" for "This Data Processing", and a scan gives no
//! text at all. [`judge`] decides, per page, whether extracted text is real
//! language (known words, letters against symbols, vowels, word lengths).
//! Pages that are not are rendered to an image with poppler's `pdftoppm`
//! and read with Tesseract ([`ocr_page`]); every page ends up as a
//! [`PageRecord`] saying where its text came from, how sure the reading is,
//! and why a page has no text.
//!
//! Both tools are Debian packages (`poppler-utils`, `tesseract-ocr`,
//! `tesseract-ocr-eng`); they run as child processes of the PDF helper, so
//! its memory limit holds for them too, and each has a deadline.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::OnceLock;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::tool;

/// When to read pages with OCR.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum OcrMode {
    /// Pages whose text is missing or unreadable.
    #[default]
    Auto,
    /// Every page, whatever its text layer says.
    Always,
    /// None: unreadable pages are recorded as such and left out.
    Never,
}

impl OcrMode {
    /// Every mode with its name on the command line and in settings.
    pub const ALL: [(OcrMode, &'static str); 3] = [
        (OcrMode::Auto, "auto"),
        (OcrMode::Always, "always"),
        (OcrMode::Never, "never"),
    ];

    /// The mode's name.
    pub fn name(self) -> &'static str {
        match self {
            OcrMode::Auto => "auto",
            OcrMode::Always => "always",
            OcrMode::Never => "never",
        }
    }
}

impl fmt::Display for OcrMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for OcrMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(s.trim()))
            .map(|(mode, _)| *mode)
            .ok_or_else(|| format!("unknown OCR mode \"{s}\" (known: auto, always, never)"))
    }
}

/// What a page's text is judged to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Real language.
    Readable,
    /// Letters that are not language: a font without a Unicode map, or
    /// an OCR reading of noise.
    Unreadable,
    /// Next to no letters: an empty page, a scan, or a page of figures.
    Blank,
}

/// Where a page's recorded text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum PageSource {
    /// The PDF's own text layer.
    Text,
    /// Tesseract, reading the rendered page.
    Ocr,
    /// Nothing: the page has no text trustlens could read.
    None,
}

/// One page of a PDF as trustlens recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PageRecord {
    /// Page number, from 1.
    pub page: u32,
    /// Where the recorded text came from.
    pub source: PageSource,
    /// What the recorded text (or, with no text, the text layer) is.
    pub verdict: Verdict,
    /// Tesseract's mean word confidence (0–100) when the text is OCR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub confidence: Option<u8>,
    /// Why the page has no text, or why OCR did not help, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem: Option<String>,
    /// The text recorded for the page (empty when `source` is `none`).
    #[serde(default)]
    #[ts(skip)]
    pub text: String,
}

impl PageRecord {
    /// Whether an analyst should hear about this page: it had text, or
    /// looked like a scan, and trustlens could not read it.
    pub fn is_unreadable(&self) -> bool {
        self.source == PageSource::None
            && (self.verdict == Verdict::Unreadable || self.problem.is_some())
    }
}

/// Fewer letters than this on a page is "next to nothing" ([`Verdict::Blank`]).
const MIN_LETTERS: usize = 20;

fn common_words() -> &'static HashSet<&'static str> {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        include_str!("../../../../corpus/common-words.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Counts over a page's text that [`judge`] weighs.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Signals {
    /// Alphabetic characters.
    pub letters: usize,
    /// Characters that are not white space.
    pub visible: usize,
    /// Tokens between white space.
    pub tokens: usize,
    /// Tokens that are words: letters, with at most inner hyphens, apostrophes or dots.
    pub words: usize,
    /// Words in the list of frequent English words.
    pub known: usize,
    /// Letters in all words together.
    pub word_letters: usize,
    /// Vowels (a e i o u y) among the words' ASCII letters.
    pub vowels: usize,
    /// ASCII letters in the words.
    pub ascii_letters: usize,
    /// Tokens that are numbers, amounts or dates ("72", "12.5%", "2024-03-01").
    pub numbers: usize,
    /// Control characters other than line and page breaks and tabs: text
    /// never has them, a font without a Unicode map gives them often.
    pub controls: usize,
}

/// Count what [`judge`] needs.
pub fn signals(text: &str) -> Signals {
    let mut s = Signals::default();
    let known = common_words();
    for token in text.split_whitespace() {
        s.tokens += 1;
        s.visible += token.chars().count();
        s.letters += token.chars().filter(|c| c.is_alphabetic()).count();
        s.controls += token.chars().filter(|c| c.is_control()).count();
        if token.chars().any(|c| c.is_ascii_digit())
            && token
                .chars()
                .all(|c| c.is_ascii_digit() || ".,%$€£+-–/:()".contains(c))
        {
            s.numbers += 1;
        }
        let word = token.trim_matches(|c: char| !c.is_alphanumeric());
        let is_word = !word.is_empty()
            && word.chars().count() <= 24
            && word.chars().any(char::is_alphabetic)
            && word
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'));
        if !is_word {
            continue;
        }
        s.words += 1;
        s.word_letters += word.chars().filter(|c| c.is_alphabetic()).count();
        for c in word.chars().filter(char::is_ascii_alphabetic) {
            s.ascii_letters += 1;
            s.vowels += usize::from(matches!(
                c.to_ascii_lowercase(),
                'a' | 'e' | 'i' | 'o' | 'u' | 'y'
            ));
        }
        if known.contains(word.to_lowercase().as_str()) {
            s.known += 1;
        }
    }
    s
}

/// Whether a page's text is real language.
///
/// English prose is a third frequent words, so a fifth is proof enough.
/// Text in another language, or a table of names, has few of them but is
/// still made of words with a normal share of vowels; broken-font text is
/// neither: symbols and digits inside words, or letters shifted so that
/// vowels all but vanish.
pub fn judge(text: &str) -> Verdict {
    let s = signals(text);
    let share = |part: usize, whole: usize| part as f64 / whole.max(1) as f64;
    if s.controls >= 5 && share(s.controls, s.visible) >= 0.02 {
        return Verdict::Unreadable;
    }
    if s.letters < MIN_LETTERS {
        // Few letters: a page of figures is numbers; one of symbols is not.
        let junk = s.tokens.saturating_sub(s.words + s.numbers);
        return if s.visible >= 40 && share(junk, s.tokens) >= 0.5 {
            Verdict::Unreadable
        } else {
            Verdict::Blank
        };
    }
    if share(s.known, s.words) >= 0.2 && share(s.words, s.tokens) >= 0.5 {
        return Verdict::Readable;
    }
    let vowels = share(s.vowels, s.ascii_letters);
    let vowels_ok = s.ascii_letters < s.word_letters / 2 || (0.25..=0.65).contains(&vowels);
    let mean_len = share(s.word_letters, s.words);
    if share(s.words, s.tokens) >= 0.7
        && share(s.letters, s.visible) >= 0.6
        && vowels_ok
        && (2.0..=12.0).contains(&mean_len)
    {
        Verdict::Readable
    } else {
        Verdict::Unreadable
    }
}

/// How long one tool may run on one page.
const TOOL_DEADLINE: Duration = Duration::from_secs(120);

/// Resolution pages are rendered at: Tesseract reads best when a letter's
/// x-height is 20–30 pixels, which 300 dpi gives for 10-point type.
pub const OCR_DPI: u32 = 300;

/// The OCR engine's name and version ("tesseract 5.3.0"), or why there is
/// none that can be used.
pub fn engine() -> Result<String, String> {
    let not_installed = |what: &str| {
        format!("OCR is not installed ({what}): install the Debian packages tesseract-ocr, tesseract-ocr-eng and poppler-utils (scripts/setup.sh does)")
    };
    let out = tool::run(
        "tesseract",
        &["--version".as_ref()],
        Vec::new(),
        TOOL_DEADLINE,
    )
    .map_err(|e| not_installed(&format!("tesseract: {e}")))?;
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    let version = text
        .lines()
        .next()
        .unwrap_or("tesseract")
        .trim()
        .to_string();
    tool::run("pdftoppm", &["-v".as_ref()], Vec::new(), TOOL_DEADLINE)
        .map_err(|e| not_installed(&format!("pdftoppm: {e}")))?;
    let langs = tool::run(
        "tesseract",
        &["--list-langs".as_ref()],
        Vec::new(),
        TOOL_DEADLINE,
    )
    .map_err(|e| not_installed(&format!("tesseract: {e}")))?;
    if !String::from_utf8_lossy(&langs.stdout)
        .lines()
        .any(|l| l.trim() == "eng")
    {
        return Err(not_installed("Tesseract has no English data"));
    }
    Ok(version)
}

/// A page read by OCR: its text and Tesseract's mean confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrText {
    /// Lines of each paragraph, paragraphs separated by a blank line.
    pub text: String,
    /// Mean word confidence, 0–100, weighted by word length.
    pub confidence: u8,
}

/// Render page `page` of the PDF at `pdf` and read it with Tesseract.
pub fn ocr_page(pdf: &Path, page: u32) -> Result<OcrText, String> {
    let page_arg = page.to_string();
    let dpi = OCR_DPI.to_string();
    let render_args: Vec<&std::ffi::OsStr> = vec![
        "-r".as_ref(),
        dpi.as_ref(),
        "-gray".as_ref(),
        "-f".as_ref(),
        page_arg.as_ref(),
        "-l".as_ref(),
        page_arg.as_ref(),
        pdf.as_os_str(),
    ];
    let image = tool::run("pdftoppm", &render_args, Vec::new(), TOOL_DEADLINE)
        .map_err(|e| format!("the page image cannot be rendered: {e}"))?;
    if !image.status.success() || image.stdout.is_empty() {
        return Err(format!(
            "the page image cannot be rendered: {}",
            tool::summary(&image.stderr, "pdftoppm gave no image")
        ));
    }
    let read = [
        "stdin", "stdout", "-l", "eng", "--psm", "1", "--dpi", &dpi, "tsv",
    ];
    let read_args: Vec<&std::ffi::OsStr> = read.iter().map(|a| a.as_ref()).collect();
    // One thread per Tesseract: pages are read side by side instead
    // (`ingest::pdf`), which uses the cores better than OpenMP within a page.
    let one_thread = [("OMP_THREAD_LIMIT", "1")];
    let tsv = tool::run_with(
        "tesseract",
        &read_args,
        &one_thread,
        image.stdout,
        TOOL_DEADLINE,
    )
    .map_err(|e| format!("Tesseract failed: {e}"))?;
    if !tsv.status.success() {
        return Err(format!(
            "Tesseract failed: {}",
            tool::summary(&tsv.stderr, "no reason given")
        ));
    }
    let read = from_tsv(&String::from_utf8_lossy(&tsv.stdout));
    // pdftoppm draws what it can of a damaged image and says so only on
    // its error output: with nothing read, that is the page's problem.
    let damaged = String::from_utf8_lossy(&image.stderr).contains("Error");
    if damaged && judge(&read.text) != Verdict::Readable {
        return Err(format!(
            "the page image is damaged and cannot be read ({})",
            tool::summary(&image.stderr, "pdftoppm")
        ));
    }
    Ok(read)
}

/// Text and confidence from Tesseract's TSV output: words joined into
/// lines, lines into paragraphs, paragraphs apart by a blank line (which
/// the PDF text clean-up reads as a paragraph break).
pub fn from_tsv(tsv: &str) -> OcrText {
    let mut text = String::new();
    let mut last_par: Option<(u32, u32)> = None;
    let mut last_line: Option<(u32, u32, u32)> = None;
    let (mut weighted, mut weight) = (0f64, 0usize);
    for row in tsv.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let word = cols[11].trim();
        let Ok(conf) = cols[10].parse::<f64>() else {
            continue;
        };
        if word.is_empty() || conf < 0.0 {
            continue;
        }
        let num = |i: usize| cols[i].parse::<u32>().unwrap_or(0);
        let (block, par, line) = (num(2), num(3), num(4));
        if last_line != Some((block, par, line)) {
            if last_par.is_some() && last_par != Some((block, par)) {
                text.push_str("\n\n");
            } else if last_line.is_some() {
                text.push('\n');
            }
            last_par = Some((block, par));
            last_line = Some((block, par, line));
        } else {
            text.push(' ');
        }
        text.push_str(word);
        let n = word.chars().count();
        weighted += conf * n as f64;
        weight += n;
    }
    let confidence = if weight == 0 {
        0.0
    } else {
        weighted / weight as f64
    };
    OcrText {
        text,
        confidence: confidence.round().clamp(0.0, 100.0) as u8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_in_english_and_in_other_languages_is_readable() {
        let english = "Customer data is encrypted at rest and in transit. We notify affected customers of a breach within 72 hours.";
        assert_eq!(judge(english), Verdict::Readable);
        let german = "Kundendaten werden verschlüsselt gespeichert und übertragen. Wir benachrichtigen betroffene Kunden unverzüglich.";
        assert_eq!(judge(german), Verdict::Readable);
        let table = "Amazon Web Services, Inc. | Cloud hosting | United States\nMicrosoft Corporation | Email | Ireland";
        assert_eq!(judge(table), Verdict::Readable);
    }

    #[test]
    fn broken_font_text_is_unreadable() {
        // Glyph codes shifted by 29, as a font without a Unicode map gives.
        let shifted = "7KLV'DWD3URFHVVLQJ$GGHQGXP IRUPV SDUW RI WKH $JUHHPHQW EHWZHHQ &XVWRPHU DQG WKH 3URYLGHU";
        assert_eq!(judge(shifted), Verdict::Unreadable);
        // Letters shifted by three: words, but no language.
        let caesar =
            "Wklv gdwd surfhvvlqj dgghqgxp irupv sduw ri wkh djuhhphqw ehwzhhq wkh sduwlhv";
        assert_eq!(judge(caesar), Verdict::Unreadable);
    }

    #[test]
    fn next_to_no_letters_is_blank() {
        assert_eq!(judge(""), Verdict::Blank);
        assert_eq!(judge("  \n 12 \n"), Verdict::Blank);
        assert_eq!(judge("2021 2022 2023\n12.5 % 13.1 % 9.8 %"), Verdict::Blank);
        assert_eq!(judge("Page 4"), Verdict::Blank);
    }

    #[test]
    fn symbols_and_control_characters_are_unreadable() {
        assert_eq!(
            judge("-02'5(,# 2 9$\"30(274$04($5 4$04($5 %(#$ ,2( * 8 &$ -% )3.1"),
            Verdict::Unreadable
        );
        assert_eq!(
            judge("\u{1}\u{14} 2 \u{1}9\u{1}\u{4}\u{1}\u{14} Data \u{13}\u{1}\u{8}"),
            Verdict::Unreadable
        );
    }

    #[test]
    fn tsv_words_become_lines_and_paragraphs_with_a_weighted_confidence() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n\
5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t90\tData\n\
5\t1\t1\t1\t1\t2\t0\t0\t1\t1\t80\tis\n\
5\t1\t1\t1\t2\t1\t0\t0\t1\t1\t100\tencrypted.\n\
5\t1\t2\t1\t1\t1\t0\t0\t1\t1\t50\tKeys\n\
5\t1\t2\t1\t1\t2\t0\t0\t1\t1\t-1\t \n";
        let r = from_tsv(tsv);
        assert_eq!(r.text, "Data is\nencrypted.\n\nKeys");
        // (90·4 + 80·2 + 100·10 + 50·4) / 20 = 86
        assert_eq!(r.confidence, 86);
        assert_eq!(from_tsv("").confidence, 0);
    }

    #[test]
    fn modes_parse_and_print() {
        for (mode, name) in OcrMode::ALL {
            assert_eq!(name.parse::<OcrMode>(), Ok(mode));
            assert_eq!(mode.to_string(), name);
        }
        let e = "sometimes".parse::<OcrMode>().unwrap_err();
        assert!(
            e.contains("sometimes") && e.contains("auto, always, never"),
            "{e}"
        );
    }
}
