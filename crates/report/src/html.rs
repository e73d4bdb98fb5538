//! `report.html`: one self-contained page (inline CSS, inline SVG charts, a
//! little vanilla JavaScript for the table filters; nothing loaded from the
//! network) that an officer opens offline.
//!
//! Every piece of text from the rolls goes through [`escape`]; the script
//! never reads roll data except through the DOM. The page embeds at most
//! [`HtmlOptions::max_rows`] rows per table, worst places first, and says
//! how many were left out; the CSV (or other table files) has them all.
//!
//! Numbers a test or a tool may read back carry `data-total` attributes
//! named after their path in `summary.json` (`ec.rows_read`,
//! `discrepancies.missing_in_sec`, `matched_pairs`, ...).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use rollrec_model::{Elector, Location};

use crate::{DiscrepancyKind, Finding, Report, Summary};

/// How the page is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HtmlOptions {
    /// At most this many rows in each of the findings and rejects tables.
    pub max_rows: usize,
    /// At most this many bars in each chart.
    pub max_bars: usize,
    /// At most this many rows in each of the ward and part tables.
    pub max_places: usize,
}

impl Default for HtmlOptions {
    fn default() -> Self {
        HtmlOptions {
            max_rows: 5_000,
            max_bars: 20,
            max_places: 500,
        }
    }
}

/// Escapes text for HTML element content and quoted attribute values.
///
/// ```
/// use rollrec_report::html::escape;
/// assert_eq!(escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
/// assert_eq!(escape("আশা দাস"), "আশা দাস");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Controls other than tab and newline have no business in a
            // page and some are invalid in HTML: show them as U+FFFD.
            c if c.is_control() && c != '\t' && c != '\n' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A person-facing name of a kind.
fn kind_label(kind: &str) -> &'static str {
    match kind {
        "missing_in_sec" => "Missing in SEC roll",
        "missing_in_ec" => "Missing in EC roll",
        "attribute_mismatch" => "Attribute mismatch",
        "wrong_ward" => "Wrong ward",
        "duplicate_in_ec" => "Duplicate in EC roll",
        "duplicate_in_sec" => "Duplicate in SEC roll",
        "epic_conflict" => "EPIC conflict",
        "ambiguous_match" => "Ambiguous match",
        "logical_error" => "Logical error",
        _ => "Other",
    }
}

/// The colour of a kind in charts and badges.
fn kind_colour(kind: &str) -> &'static str {
    match kind {
        "missing_in_sec" => "#c0392b",
        "missing_in_ec" => "#e67e22",
        "attribute_mismatch" => "#8e44ad",
        "wrong_ward" => "#2471a3",
        "duplicate_in_ec" => "#6e2c00",
        "duplicate_in_sec" => "#d35400",
        "epic_conflict" => "#b7950b",
        "ambiguous_match" => "#7f8c8d",
        "logical_error" => "#16a085",
        _ => "#555555",
    }
}

/// Thousands separators, Indian style is not assumed: `12,345`.
fn num(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A ward's label: `Rampur · ward 3`.
fn ward_label(local_body: &str, ward_no: u32) -> String {
    format!("{local_body} · ward {ward_no}")
}

/// A part's label: `AC 140 · part 2`.
fn part_label(ac_no: u32, part_no: u32) -> String {
    format!("AC {ac_no} · part {part_no}")
}

fn ward_of(e: &Elector) -> Option<String> {
    match &e.location {
        Location::LocalBody(l) => Some(ward_label(&l.local_body, l.ward_no)),
        Location::Assembly(_) => None,
    }
}

fn part_of(e: &Elector) -> Option<String> {
    match &e.location {
        Location::Assembly(a) => Some(part_label(a.ac_no, a.part_no)),
        Location::LocalBody(_) => None,
    }
}

const CSS: &str = r#"
:root{--ink:#1c2833;--mute:#5d6d7e;--line:#d5dbdb;--bg:#f4f6f7;--card:#fff;--accent:#1a5276}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,"Segoe UI","Noto Sans","Noto Sans Bengali","Noto Sans Devanagari","Lohit Bengali","Lohit Devanagari",Nirmala UI,Mangal,Vrinda,sans-serif;color:var(--ink);background:var(--bg)}
header{background:var(--accent);color:#fff;padding:18px 28px}
header h1{margin:0 0 4px;font-size:24px}
header p{margin:0;opacity:.9;font-size:14px}
main{padding:20px 28px;max-width:1600px}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:0 0 18px}
h2{margin:0 0 12px;font-size:19px;color:var(--accent)}
h3{margin:14px 0 8px;font-size:16px}
.note{color:var(--mute);font-size:13px;margin:6px 0}
.warn{background:#fef5e7;border:1px solid #f5cba7;border-radius:6px;padding:8px 12px;margin:8px 0;font-size:14px}
.grid{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
table{border-collapse:collapse}
th,td{border-bottom:1px solid var(--line);padding:5px 9px;text-align:left;vertical-align:top}
th{background:#eaf0f4;font-weight:600;font-size:13px;position:sticky;top:0}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.totals td.n{font-size:17px;font-weight:600}
.dim{color:#aab7b8;font-weight:400!important;font-size:13px!important}
.badge{display:inline-block;color:#fff;border-radius:4px;padding:1px 7px;font-size:12px;white-space:nowrap}
.sw{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:13px;margin:4px 0 8px}
.chart{flex:1 1 600px;min-width:420px}
.chart svg{width:100%;height:auto;display:block}
.chart text{font:13px system-ui,"Noto Sans","Lohit Bengali","Lohit Devanagari",sans-serif;fill:var(--ink)}
.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin:8px 0 10px}
.filters select,.filters input{font:inherit;padding:5px 8px;border:1px solid #aeb6bf;border-radius:5px}
.filters input{min-width:260px}
.scroll{max-height:75vh;overflow:auto;border:1px solid var(--line);border-radius:6px}
.scroll.short{max-height:360px;margin-top:10px}
.places{display:grid;grid-template-columns:1fr;gap:4px}
.scroll.short table{width:100%;font-size:13.5px}
.scroll.short th{font-size:12px}
.findings td{font-size:13.5px}
.e b{font-size:14.5px}
.e .k{color:var(--mute);font-size:12px}
.e dl{margin:2px 0 0;display:grid;grid-template-columns:auto 1fr;gap:0 8px;font-size:12.5px}
.e dt{color:var(--mute)}
.e dd{margin:0}
td.none{color:#aab7b8;text-align:center}
td.detail{max-width:420px}
code,.raw{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12.5px;word-break:break-all}
footer{color:var(--mute);font-size:12px;padding:0 28px 24px}
"#;

const SCRIPT: &str = r#"
(function(){
  function setup(id){
    var t=document.getElementById(id); if(!t) return;
    var rows=Array.prototype.slice.call(t.tBodies[0].rows);
    var texts=rows.map(function(r){return r.textContent.toLowerCase();});
    var kind=document.getElementById(id+'-kind'), place=document.getElementById(id+'-place');
    var q=document.getElementById(id+'-q'), shown=document.getElementById(id+'-shown');
    function apply(){
      var k=kind?kind.value:'', p=place?place.value:'', s=q?q.value.trim().toLowerCase():'';
      var n=0;
      for(var i=0;i<rows.length;i++){
        var r=rows[i];
        var ok=(!k||r.getAttribute('data-kind')===k)&&
               (!p||r.getAttribute('data-ward')===p||r.getAttribute('data-part')===p)&&
               (!s||texts[i].indexOf(s)>=0);
        r.style.display=ok?'':'none'; if(ok) n++;
      }
      if(shown){shown.textContent=n.toLocaleString('en-US');shown.setAttribute('data-shown',n);}
    }
    [kind,place,q].forEach(function(el){ if(el){el.addEventListener('input',apply);el.addEventListener('change',apply);} });
    apply();
  }
  setup('findings'); setup('rejects');
})();
"#;

/// Renders the page.
pub fn render(report: &Report, options: &HtmlOptions) -> String {
    let summary = report.summary();
    let mut h =
        String::with_capacity(64 * 1024 + report.findings.len().min(options.max_rows) * 900);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // No network: forbid every fetch, allow only the inline style and script.
    h.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n",
    );
    let _ = writeln!(
        h,
        "<title>rollrec report: {} vs {}</title>",
        escape(&summary.ec.file),
        escape(&summary.sec.file)
    );
    let _ = writeln!(h, "<style>{CSS}</style>\n</head>\n<body>");
    let _ = writeln!(
        h,
        "<header><h1>Electoral roll reconciliation</h1><p>EC assembly roll <b>{}</b> \
         against SEC local-body roll <b>{}</b> · matcher {} · rollrec {}</p></header>\n<main>",
        escape(&summary.ec.file),
        escape(&summary.sec.file),
        escape(&summary.matcher),
        escape(&summary.rollrec_version)
    );
    totals(&mut h, &summary);
    charts(&mut h, &summary, options);
    findings_table(&mut h, report, &summary, options);
    rejects_table(&mut h, report, options);
    h.push_str(
        "</main>\n<footer>Written by rollrec. This page is self-contained and works \
                offline. The complete tables are in discrepancies.csv, rejects.csv and \
                matches.csv (or the other formats asked for); the counts are in summary.json.\
                </footer>\n",
    );
    let _ = writeln!(h, "<script>{SCRIPT}</script>\n</body>\n</html>");
    h
}

fn total_cell(h: &mut String, key: &str, n: u64) {
    let _ = write!(
        h,
        "<td class=\"n\" data-total=\"{}\" data-value=\"{n}\">{}</td>",
        escape(key),
        num(n)
    );
}

fn totals(h: &mut String, s: &Summary) {
    h.push_str("<section id=\"totals\"><h2>Totals</h2><div class=\"grid\">");
    h.push_str(
        "<table class=\"totals\"><thead><tr><th>roll</th><th class=\"n\">rows read</th>\
         <th class=\"n\">accepted</th><th class=\"n\">rejected</th><th class=\"n\">matched</th>\
         <th class=\"n\">unmatched</th></tr></thead><tbody>",
    );
    for (side, label, c) in [
        ("ec", "EC assembly roll", &s.ec),
        ("sec", "SEC local-body roll", &s.sec),
    ] {
        let _ = write!(h, "<tr><th>{label}</th>");
        total_cell(h, &format!("{side}.rows_read"), c.rows_read);
        total_cell(h, &format!("{side}.accepted"), c.accepted);
        total_cell(h, &format!("{side}.rejected"), c.rejected);
        total_cell(h, &format!("{side}.matched"), c.matched);
        total_cell(h, &format!("{side}.unmatched"), c.unmatched);
        h.push_str("</tr>");
    }
    h.push_str("<tr><th>matched pairs</th>");
    total_cell(h, "matched_pairs", s.matched_pairs);
    h.push_str("<td colspan=\"4\"></td></tr></tbody></table>");

    h.push_str(
        "<table class=\"totals\"><thead><tr><th>finding</th><th class=\"n\">count</th></tr>\
         </thead><tbody>",
    );
    let mut all = 0;
    for kind in DiscrepancyKind::ALL {
        let k = kind.as_str();
        let _ = write!(
            h,
            "<tr><th><span class=\"sw\" style=\"background:{}\"></span>{}</th>",
            kind_colour(k),
            kind_label(k)
        );
        match s.discrepancies.get(k) {
            Some(&n) if s.checked_kinds.iter().any(|c| c == k) => {
                all += n;
                total_cell(h, &format!("discrepancies.{k}"), n);
            }
            _ => h.push_str("<td class=\"n dim\">not checked yet</td>"),
        }
        h.push_str("</tr>");
    }
    h.push_str("<tr><th>all findings</th>");
    total_cell(h, "discrepancies.all", all);
    h.push_str("</tr></tbody></table></div>");
    h.push_str(
        "<p class=\"note\">For each roll: rows read = accepted + rejected, and accepted = \
         matched + unmatched. A kind marked “not checked yet” was not looked for, so its \
         absence says nothing.</p></section>\n",
    );
}

/// One bar: a label, counts per kind.
struct Bar<'s> {
    label: String,
    counts: Vec<(String, u64)>,
    total: u64,
    electors: u64,
    matched: u64,
    by_kind: &'s BTreeMap<String, u64>,
}

/// A ward's or part's label, electors, matched entries and findings.
type Place<'s> = (String, u64, u64, &'s BTreeMap<String, u64>);

fn bars<'s>(items: impl Iterator<Item = Place<'s>>) -> Vec<Bar<'s>> {
    let mut out: Vec<Bar<'s>> = items
        .map(|(label, electors, matched, d)| {
            let counts: Vec<(String, u64)> = DiscrepancyKind::ALL
                .iter()
                .filter_map(|k| d.get(k.as_str()).map(|&n| (k.as_str().to_string(), n)))
                .filter(|(_, n)| *n > 0)
                .collect();
            let total = counts.iter().map(|(_, n)| n).sum();
            Bar {
                label,
                counts,
                total,
                electors,
                matched,
                by_kind: d,
            }
        })
        .collect();
    // Worst first; ties in the summary's order (the sort is stable).
    out.sort_by_key(|b| std::cmp::Reverse(b.total));
    out
}

fn bar_chart(h: &mut String, id: &str, title: &str, unit: &str, bars: &[Bar<'_>], max_bars: usize) {
    let _ = write!(
        h,
        "<div class=\"chart\" id=\"{id}\"><h3>{}</h3>",
        escape(title)
    );
    if bars.is_empty() {
        h.push_str("<p class=\"note\">Nothing to chart.</p></div>");
        return;
    }
    let shown = &bars[..bars.len().min(max_bars)];
    let max = shown.iter().map(|b| b.total).max().unwrap_or(0).max(1);
    let (label_w, bar_w, row_h, top) = (250.0, 360.0, 26.0, 4.0);
    let width = label_w + bar_w + 70.0;
    let height = top * 2.0 + row_h * shown.len() as f64;
    let _ = write!(
        h,
        "<svg viewBox=\"0 0 {width} {height}\" style=\"max-width:{width}px\" role=\"img\" \
         aria-label=\"{}\">",
        escape(title)
    );
    for (i, b) in shown.iter().enumerate() {
        let y = top + row_h * i as f64;
        let mut label = b.label.clone();
        if label.chars().count() > 36 {
            label = label.chars().take(35).collect::<String>() + "…";
        }
        let _ = write!(
            h,
            "<g><title>{}: {} findings, {} electors</title><text x=\"{}\" y=\"{}\" \
             text-anchor=\"end\">{}</text>",
            escape(&b.label),
            b.total,
            b.electors,
            label_w - 8.0,
            y + row_h * 0.68,
            escape(&label)
        );
        let mut x = label_w;
        for (k, n) in &b.counts {
            let w = bar_w * (*n as f64) / (max as f64);
            let _ = write!(
                h,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{}\">\
                 <title>{}: {} {}</title></rect>",
                y + 3.0,
                row_h - 6.0,
                kind_colour(k),
                escape(&b.label),
                n,
                kind_label(k)
            );
            x += w;
        }
        let _ = write!(
            h,
            "<text x=\"{:.1}\" y=\"{}\">{}</text></g>",
            x + 6.0,
            y + row_h * 0.68,
            num(b.total)
        );
    }
    h.push_str("</svg>");
    if bars.len() > shown.len() {
        let _ = write!(
            h,
            "<p class=\"note\">The {} worst of {} {unit} are shown; summary.json has them all.</p>",
            shown.len(),
            bars.len()
        );
    }
    h.push_str("</div>");
}

fn charts(h: &mut String, s: &Summary, options: &HtmlOptions) {
    h.push_str("<section id=\"charts\"><h2>Findings by ward and by part, worst first</h2>");
    h.push_str("<div class=\"legend\">");
    for k in &s.checked_kinds {
        let _ = write!(
            h,
            "<span><span class=\"sw\" style=\"background:{}\"></span>{}</span>",
            kind_colour(k),
            kind_label(k)
        );
    }
    h.push_str("</div><div class=\"grid\">");
    let wards = bars(s.by_ward.iter().map(|w| {
        let label = ward_label(&w.local_body, w.ward_no);
        (label, w.electors, w.matched, &w.discrepancies)
    }));
    let parts = bars(s.by_part.iter().map(|p| {
        let label = part_label(p.ac_no, p.part_no);
        (label, p.electors, p.matched, &p.discrepancies)
    }));
    bar_chart(
        h,
        "chart-wards",
        "Local-body wards (SEC)",
        "wards",
        &wards,
        options.max_bars,
    );
    bar_chart(
        h,
        "chart-parts",
        "Assembly parts (EC)",
        "parts",
        &parts,
        options.max_bars,
    );
    h.push_str(
        "</div><p class=\"note\">A finding counts in the ward of its SEC entry and in the part \
         of its EC entry: an EC entry missing from the SEC roll shows under its part only, an \
         SEC entry missing from the EC roll under its ward only.</p><div class=\"places\">",
    );
    place_table(
        h,
        "wards",
        "ward",
        &wards,
        &s.checked_kinds,
        options.max_places,
    );
    place_table(
        h,
        "parts",
        "part",
        &parts,
        &s.checked_kinds,
        options.max_places,
    );
    h.push_str("</div></section>\n");
}

/// Wards or parts, worst first, with their counts.
fn place_table(
    h: &mut String,
    id: &str,
    what: &str,
    bars: &[Bar<'_>],
    kinds: &[String],
    max: usize,
) {
    let _ = write!(
        h,
        "<div><div class=\"scroll short\"><table id=\"table-{id}\"><thead><tr>\
         <th>{what}</th><th class=\"n\">electors</th><th class=\"n\">matched</th>"
    );
    for k in kinds {
        let _ = write!(
            h,
            "<th class=\"n\" title=\"{}\"><span class=\"sw\" style=\"background:{}\"></span>{}</th>",
            kind_label(k),
            kind_colour(k),
            escape(&k.replace('_', " "))
        );
    }
    h.push_str("<th class=\"n\">all</th></tr></thead><tbody>");
    for b in bars.iter().take(max) {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
            escape(&b.label),
            num(b.electors),
            num(b.matched)
        );
        for k in kinds {
            let n = b.by_kind.get(k).copied().unwrap_or(0);
            if n == 0 {
                h.push_str("<td class=\"n dim\">0</td>");
            } else {
                let _ = write!(h, "<td class=\"n\">{}</td>", num(n));
            }
        }
        let _ = write!(h, "<td class=\"n\"><b>{}</b></td></tr>", num(b.total));
    }
    h.push_str("</tbody></table></div>");
    if bars.len() > max {
        let _ = write!(
            h,
            "<p class=\"note\">The {max} worst of {} {what}s are listed; summary.json has them all.</p>",
            bars.len()
        );
    }
    h.push_str("</div>");
}

fn entry_cell(h: &mut String, e: Option<&Elector>) {
    let Some(e) = e else {
        h.push_str("<td class=\"none\">—</td>");
        return;
    };
    let _ = write!(h, "<td class=\"e\"><b>{}</b>", escape(&e.name));
    if let Some(en) = &e.name_en {
        let _ = write!(h, " <span class=\"k\">[{}]</span>", escape(en));
    }
    let _ = write!(
        h,
        "<br><span class=\"k\">{}</span><dl>",
        escape(&e.key().to_string())
    );
    let dash = "—".to_string();
    let relative = match (&e.relative_name, e.relation_type) {
        (Some(r), Some(t)) => format!("{r} ({})", t.code()),
        (Some(r), None) => r.to_string(),
        (None, _) => dash.clone(),
    };
    let _ = write!(
        h,
        "<dt>relative</dt><dd>{}</dd><dt>age</dt><dd>{} <span class=\"k\">gender</span> {} \
         <span class=\"k\">house</span> {}</dd><dt>EPIC</dt><dd>{}</dd>",
        escape(&relative),
        escape(&e.age.map_or(dash.clone(), |a| a.to_string())),
        escape(&e.gender.map_or(dash.clone(), |g| g.code().to_string())),
        escape(e.house_no.as_deref().unwrap_or(&dash)),
        escape(
            &e.epic
                .as_ref()
                .map_or(dash.clone(), |x| x.as_str().to_string())
        ),
    );
    h.push_str("</dl></td>");
}

/// The findings in page order: worst places first. A finding's place is
/// the ward of its SEC entry, else the part of its EC entry; places are
/// ranked by their number of findings, ties by first appearance; within a
/// place the report's own order is kept.
fn page_order(report: &Report) -> Vec<&Finding> {
    let ec = &report.ec.roll.electors;
    let sec = &report.sec.roll.electors;
    let place = |f: &Finding| -> Option<String> {
        f.sec
            .and_then(|j| sec.get(j))
            .and_then(ward_of)
            .or_else(|| f.ec.and_then(|i| ec.get(i)).and_then(part_of))
    };
    let places: Vec<Option<String>> = report.findings.iter().map(place).collect();
    let mut count: HashMap<&Option<String>, (usize, usize)> = HashMap::new();
    for (i, p) in places.iter().enumerate() {
        count.entry(p).or_insert((0, i)).0 += 1;
    }
    let mut order: Vec<usize> = (0..report.findings.len()).collect();
    order.sort_by_key(|&i| {
        let (n, first) = count.get(&places[i]).copied().unwrap_or((0, i));
        (std::cmp::Reverse(n), first, i)
    });
    order
        .into_iter()
        .filter_map(|i| report.findings.get(i))
        .collect()
}

fn cap_note(h: &mut String, id: &str, shown: usize, total: usize, what: &str, file: &str) {
    if shown < total {
        let _ = write!(
            h,
            "<p class=\"warn\" id=\"{id}-cap\" data-embedded=\"{shown}\" data-total=\"{total}\">\
             This page holds the first <b>{}</b> of <b>{}</b> {what} (worst places first); \
             <b>{}</b> are left out to keep it fast. <b>{file}</b> has all of them.</p>",
            num(shown as u64),
            num(total as u64),
            num((total - shown) as u64)
        );
    }
}

fn findings_table(h: &mut String, report: &Report, s: &Summary, options: &HtmlOptions) {
    let ec = &report.ec.roll.electors;
    let sec = &report.sec.roll.electors;
    let total = report.findings.len();
    let shown = total.min(options.max_rows);
    h.push_str("<section id=\"findings-section\"><h2>Findings</h2>");
    cap_note(h, "findings", shown, total, "findings", "discrepancies.csv");
    h.push_str("<div class=\"filters\"><label>Kind <select id=\"findings-kind\"><option value=\"\">all kinds</option>");
    for k in &s.checked_kinds {
        let _ = write!(
            h,
            "<option value=\"{}\">{}</option>",
            escape(k),
            kind_label(k)
        );
    }
    h.push_str("</select></label><label>Ward or part <select id=\"findings-place\"><option value=\"\">all</option>");
    for w in &s.by_ward {
        let l = escape(&ward_label(&w.local_body, w.ward_no));
        let _ = write!(h, "<option value=\"{l}\">{l}</option>");
    }
    for p in &s.by_part {
        let l = escape(&part_label(p.ac_no, p.part_no));
        let _ = write!(h, "<option value=\"{l}\">{l}</option>");
    }
    let _ = write!(
        h,
        "</select></label><input id=\"findings-q\" type=\"search\" placeholder=\"Search names, \
         EPIC, house, detail…\"><span class=\"note\">showing <b id=\"findings-shown\" \
         data-shown=\"{shown}\">{}</b> of {} rows on this page</span></div>",
        num(shown as u64),
        num(shown as u64)
    );
    h.push_str(
        "<div class=\"scroll\"><table id=\"findings\" class=\"findings\"><thead><tr><th>#</th>\
         <th>kind</th><th>EC entry (assembly roll)</th><th>SEC entry (local-body roll)</th>\
         <th>fields</th><th>detail</th></tr></thead><tbody>",
    );
    for (n, f) in page_order(report).into_iter().take(shown).enumerate() {
        let e = f.ec.and_then(|i| ec.get(i));
        let w = f.sec.and_then(|j| sec.get(j));
        let k = f.kind.as_str();
        let _ = write!(
            h,
            "<tr data-kind=\"{k}\" data-ward=\"{}\" data-part=\"{}\"><td class=\"n\">{}</td>\
             <td><span class=\"badge\" style=\"background:{}\">{}</span></td>",
            escape(&w.and_then(ward_of).unwrap_or_default()),
            escape(&e.and_then(part_of).unwrap_or_default()),
            n + 1,
            kind_colour(k),
            kind_label(k)
        );
        entry_cell(h, e);
        entry_cell(h, w);
        let _ = write!(
            h,
            "<td><code>{}</code></td><td class=\"detail\">{}",
            escape(&f.fields.join(", ")),
            escape(&f.detail)
        );
        if let Some(score) = f.score {
            let _ = write!(h, " <span class=\"k\">(score {score:.2})</span>");
        }
        h.push_str("</td></tr>\n");
    }
    h.push_str("</tbody></table></div></section>\n");
}

fn rejects_table(h: &mut String, report: &Report, options: &HtmlOptions) {
    let rejects: Vec<_> = report
        .ec
        .rejects
        .iter()
        .chain(&report.sec.rejects)
        .collect();
    let total = rejects.len();
    let shown = total.min(options.max_rows);
    h.push_str("<section id=\"rejects-section\"><h2>Rejected input rows</h2>");
    h.push_str(
        "<p class=\"note\">Rows that could not be read. They are in neither roll, so they take \
         part in no match and no finding; fix them in the source file and run again.</p>",
    );
    cap_note(h, "rejects", shown, total, "rejected rows", "rejects.csv");
    let _ = write!(
        h,
        "<div class=\"filters\"><input id=\"rejects-q\" type=\"search\" placeholder=\"Search \
         reason, line, text…\"><span class=\"note\">showing <b id=\"rejects-shown\" \
         data-shown=\"{shown}\">{}</b> of {} rows on this page</span></div>",
        num(shown as u64),
        num(shown as u64)
    );
    h.push_str(
        "<div class=\"scroll\"><table id=\"rejects\"><thead><tr><th>roll</th><th>file</th>\
         <th class=\"n\">line</th><th>reason</th><th>row as read</th></tr></thead><tbody>",
    );
    for r in rejects.into_iter().take(shown) {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td>\
             <td class=\"raw\">{}</td></tr>",
            r.roll.short_name().to_uppercase(),
            escape(&r.file),
            r.line,
            escape(&r.reason),
            escape(&r.raw)
        );
    }
    h.push_str("</tbody></table></div></section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{ec_at, small_report};

    #[test]
    fn escapes_markup_and_keeps_unicode() {
        assert_eq!(
            escape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        assert_eq!(escape("মোহাম্মদ শেখ ज़ोया"), "মোহাম্মদ শেখ ज़ोया");
        assert_eq!(escape("a\u{0}b\u{1b}c\td"), "a\u{FFFD}b\u{FFFD}c\td");
    }

    #[test]
    fn roll_text_never_becomes_markup() {
        let page = render(&small_report(), &HtmlOptions::default());
        assert!(!page.contains("<script>alert"), "unescaped name");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("Rampur &lt;M&gt; · ward 3"));
        // The only script element is ours.
        assert_eq!(page.matches("<script>").count(), 1);
        assert!(page.contains("राम दास (F)"));
        // Nothing is fetched.
        for needle in ["http://", "https://", "src=", "<link", "@import"] {
            assert!(!page.contains(needle), "page refers out: {needle}");
        }
    }

    #[test]
    fn totals_carry_the_summary() {
        let report = small_report();
        let s = report.summary();
        let page = render(&report, &HtmlOptions::default());
        for (key, n) in [
            ("ec.rows_read", s.ec.rows_read),
            ("sec.rejected", s.sec.rejected),
            ("matched_pairs", s.matched_pairs),
            (
                "discrepancies.missing_in_sec",
                s.discrepancies["missing_in_sec"],
            ),
        ] {
            let cell = format!("data-total=\"{key}\" data-value=\"{n}\"");
            assert!(page.contains(&cell), "{cell}");
        }
        assert!(page.contains("not checked yet"));
        assert!(!page.contains("left out"));
    }

    #[test]
    fn caps_the_tables_and_says_so() {
        let mut report = small_report();
        for i in 0..40u32 {
            report.ec.roll.electors.push(ec_at(9, 100 + i, "Young", 5));
        }
        report
            .findings
            .extend(crate::logical_errors(&report.ec.roll));
        let total = report.findings.len();
        let options = HtmlOptions {
            max_rows: 10,
            ..HtmlOptions::default()
        };
        let page = render(&report, &options);
        let rows = page.matches("<tr data-kind=").count();
        assert_eq!(rows, 10);
        let note = format!("id=\"findings-cap\" data-embedded=\"10\" data-total=\"{total}\"");
        assert!(page.contains(&note), "no cap note");
        assert!(page.contains(&format!("<b>{}</b> are left out", total - 10)));
        assert!(page.contains("discrepancies.csv</b> has all of them"));
        // Worst place first: part 9 holds most of the findings.
        let first = page.find("<tr data-kind=").expect("a row");
        assert!(page[first..].starts_with(
            "<tr data-kind=\"logical_error\" data-ward=\"\" data-part=\"AC 140 · part 9\""
        ));
    }

    #[test]
    fn numbers_get_separators() {
        assert_eq!(num(0), "0");
        assert_eq!(num(999), "999");
        assert_eq!(num(1000), "1,000");
        assert_eq!(num(1234567), "1,234,567");
    }

    /// The page for 100,000 findings: prints its size and build time.
    /// `cargo test -p rollrec-report --release -- --ignored big_report_page --nocapture`
    #[test]
    #[ignore = "a measurement, run by hand"]
    fn big_report_page() {
        let mut report = small_report();
        for i in 0..100_000u32 {
            report
                .ec
                .roll
                .electors
                .push(ec_at(10 + i % 300, 100 + i, "Young <b>", 5));
        }
        report
            .findings
            .extend(crate::logical_errors(&report.ec.roll));
        let t = std::time::Instant::now();
        let page = render(&report, &HtmlOptions::default());
        let secs = t.elapsed().as_secs_f64();
        assert_eq!(page.matches("<tr data-kind=").count(), 5_000);
        eprintln!(
            "{} findings: page of {} bytes built in {secs:.2} s",
            report.findings.len(),
            page.len()
        );
    }
}
