//! `rfc-lsp index --format html`: one page that stands alone (no network, no other file):
//! the table of RFCs, readable without JavaScript, with filters by status, tag and author,
//! a search over titles and a timeline of the years the RFCs were written in, which a
//! few lines of script make work.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use crate::metadata::plain_value;
use crate::workspace::rfc_index::{Entry, relative_link, shown_date};

/// Text for HTML, in an element or an attribute.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The year a date is in (`2024-05-01`, `9 Feb 2026`, `2019/3/4`), if it names one.
fn year(date: &str) -> Option<&str> {
    let b = date.as_bytes();
    (0..b.len().saturating_sub(3)).find_map(|i| {
        let four = &date[i..i + 4];
        let alone = (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        (alone
            && (four.starts_with("19") || four.starts_with("20"))
            && four.bytes().all(|c| c.is_ascii_digit()))
        .then_some(four)
    })
}

/// The status a filter knows an RFC by: its words without notes or emphasis
/// (`Implemented (Swift 5.9)` is `Implemented`).
fn status_key(e: &Entry) -> String {
    e.status.as_deref().map(plain_value).unwrap_or_default()
}

/// The status, and the RFCs it follows or that follow it.
fn status_cell(e: &Entry) -> String {
    let mut cell = e
        .status
        .as_deref()
        .map(|s| {
            format!(
                "<span class=\"status\" data-s=\"{}\">{}</span>",
                esc(&status_key(e).to_lowercase()),
                esc(s)
            )
        })
        .unwrap_or_default();
    if let Some(s) = &e.successor {
        let _ = write!(cell, "<br><small class=\"muted\">by {}</small>", esc(s));
    }
    if !e.predecessors.is_empty() {
        let _ = write!(
            cell,
            "<br><small class=\"muted\">replaces {}</small>",
            esc(&e.predecessors.join(", "))
        );
    }
    cell
}

const STYLE: &str = r#"
:root { color-scheme: light dark; --line: #8884; --muted: #777; --bar: #4a7bd0; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { margin-bottom: .2rem; } .muted { color: var(--muted); }
form { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: end; margin: 1rem 0; }
label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
select, input { font: inherit; padding: .2rem .35rem; min-width: 11rem; max-width: 18rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { position: sticky; top: 0; background: Canvas; }
td.n { white-space: nowrap; font-variant-numeric: tabular-nums; }
.status { display: inline-block; padding: 0 .45rem; border-radius: .7rem; border: 1px solid var(--line); font-size: .85rem; white-space: nowrap; }
.status[data-s^="accept"], .status[data-s^="implement"], .status[data-s^="final"], .status[data-s^="active"], .status[data-s^="merged"] { background: #2e9d5a26; border-color: #2e9d5a80; }
.status[data-s^="reject"], .status[data-s^="withdrawn"], .status[data-s^="declined"], .status[data-s^="abandon"], .status[data-s^="closed"] { background: #d0453a22; border-color: #d0453a80; }
.status[data-s*="review"], .status[data-s^="proposed"], .status[data-s^="provisional"], .status[data-s^="implementable"] { background: #d9a40a26; border-color: #d9a40a80; }
.status[data-s^="supersede"], .status[data-s^="deprecated"], .status[data-s^="replaced"], .status[data-s^="obsolete"] { background: #7a5cc726; border-color: #7a5cc780; }
.tag { display: inline-block; margin: 0 .25rem .1rem 0; font-size: .8rem; color: var(--muted); }
#timeline { display: flex; align-items: end; gap: 3px; height: 7rem; margin: .5rem 0 1.5rem; overflow-x: auto; }
#timeline a { display: flex; flex-direction: column; justify-content: end; align-items: center; min-width: 2.2rem; height: 100%; text-decoration: none; color: inherit; font-size: .75rem; }
#timeline a span.bar { width: 100%; background: var(--bar); border-radius: 2px 2px 0 0; }
#timeline a.off span.bar { opacity: .25; }
tr[hidden] { display: none; }
"#;

const SCRIPT: &str = r#"
(function () {
  var form = document.getElementById('filters');
  form.hidden = false;
  var rows = Array.prototype.slice.call(document.querySelectorAll('#rfcs tbody tr'));
  var shown = document.getElementById('shown');
  var year = '';
  function has(list, value) { return value === '' || list.split('\n').indexOf(value) >= 0; }
  // The view is kept in the address (#status=Accepted&q=cache): a link to it shows the same.
  function read() {
    var params = new URLSearchParams(location.hash.slice(1));
    ['status', 'tag', 'author', 'q'].forEach(function (k) { form[k].value = params.get(k) || ''; });
    year = params.get('year') || '';
  }
  function write() {
    var params = new URLSearchParams();
    ['status', 'tag', 'author', 'q'].forEach(function (k) { if (form[k].value) params.set(k, form[k].value); });
    if (year) params.set('year', year);
    var hash = params.toString();
    history.replaceState(null, '', hash ? '#' + hash : location.pathname + location.search);
  }
  function apply() {
    var status = form.status.value, tag = form.tag.value, author = form.author.value;
    var words = form.q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var count = 0, perYear = {};
    rows.forEach(function (r) {
      var title = r.getAttribute('data-title'), y = r.getAttribute('data-year');
      var others = (status === '' || r.getAttribute('data-status') === status) &&
        has(r.getAttribute('data-tags'), tag) && has(r.getAttribute('data-authors'), author) &&
        words.every(function (w) { return title.indexOf(w) >= 0; });
      var ok = others && (year === '' || y === year);
      if (others && y) perYear[y] = (perYear[y] || 0) + 1;
      r.hidden = !ok;
      if (ok) count++;
    });
    shown.textContent = count + ' of ' + rows.length + ' RFCs shown' + (year ? ' (written in ' + year + ')' : '');
    // The timeline counts what the other filters leave.
    var most = Math.max.apply(null, [1].concat(Object.keys(perYear).map(function (k) { return perYear[k]; })));
    document.querySelectorAll('#timeline a').forEach(function (a) {
      var y = a.getAttribute('data-year'), n = perYear[y] || 0;
      a.className = year && y !== year ? 'off' : '';
      a.querySelector('small').textContent = n;
      a.querySelector('.bar').style.height = Math.ceil(n * 100 / most) + '%';
    });
  }
  form.addEventListener('input', function () { apply(); write(); });
  form.addEventListener('reset', function () { year = ''; setTimeout(function () { apply(); write(); }, 0); });
  document.querySelectorAll('#timeline a').forEach(function (a) {
    a.addEventListener('click', function (e) {
      e.preventDefault();
      var y = a.getAttribute('data-year');
      year = year === y ? '' : y;
      apply();
      write();
    });
  });
  window.addEventListener('hashchange', function () { read(); apply(); });
  read();
  apply();
})();
"#;

/// The page of `entries`, each linked to its file relative to `base` (the page's folder).
///
/// Long: the page top to bottom (head, filters, timeline, table, script), each a few
/// writes.
pub fn page(entries: &[Entry], root: &Path, base: &Path) -> String {
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    let mut tags: BTreeMap<&str, usize> = BTreeMap::new();
    let mut authors: BTreeMap<&str, usize> = BTreeMap::new();
    let mut years: BTreeMap<&str, usize> = BTreeMap::new();
    for e in entries {
        let s = status_key(e);
        if !s.is_empty() {
            *statuses.entry(s).or_default() += 1;
        }
        for t in &e.tags {
            *tags.entry(t).or_default() += 1;
        }
        for a in &e.authors {
            *authors.entry(a).or_default() += 1;
        }
        if let Some(y) = e.created.as_deref().and_then(year) {
            *years.entry(y).or_default() += 1;
        }
    }
    let mut h = String::with_capacity(256 * entries.len() + 4096);
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"rfc-lsp index\">\n<title>RFCs</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n<h1>RFCs</h1>\n\
         <p class=\"muted\" id=\"shown\">{} RFCs</p>\n",
        entries.len()
    );
    let options = |h: &mut String, name: &str, label: &str, values: Vec<(String, usize)>| {
        let _ = write!(
            h,
            "<label>{label}<select name=\"{name}\"><option value=\"\">any</option>"
        );
        for (v, n) in values {
            let _ = write!(h, "<option value=\"{0}\">{0} ({n})</option>", esc(&v));
        }
        h.push_str("</select></label>\n");
    };
    h.push_str("<form id=\"filters\" hidden>\n");
    options(&mut h, "status", "Status", statuses.into_iter().collect());
    options(
        &mut h,
        "tag",
        "Tag",
        tags.into_iter().map(|(t, n)| (t.to_string(), n)).collect(),
    );
    options(
        &mut h,
        "author",
        "Author",
        authors
            .into_iter()
            .map(|(a, n)| (a.to_string(), n))
            .collect(),
    );
    h.push_str(
        "<label>Title<input name=\"q\" type=\"search\" placeholder=\"words in the title\"></label>\n\
         <button type=\"reset\">Clear</button>\n</form>\n",
    );
    if !years.is_empty() {
        let most = years.values().copied().max().unwrap_or(1).max(1);
        h.push_str("<h2>Timeline</h2>\n<nav id=\"timeline\" aria-label=\"RFCs by the year they were written\">\n");
        for (y, n) in &years {
            let pct = (n * 100).div_ceil(most);
            let _ = writeln!(
                h,
                "<a href=\"#\" data-year=\"{y}\" title=\"{n} RFC(s) written in {y}\"><small>{n}</small>\
                 <span class=\"bar\" style=\"height:{pct}%\"></span>{y}</a>"
            );
        }
        h.push_str("</nav>\n");
    }
    h.push_str(
        "<table id=\"rfcs\">\n<thead><tr><th>RFC</th><th>Title</th><th>Status</th>\
         <th>Authors</th><th>Created</th><th>Updated</th><th>Tags</th></tr></thead>\n<tbody>\n",
    );
    for e in entries {
        let title = e.shown_title();
        let link = relative_link(base, &root.join(&e.file)).replace(' ', "%20");
        let _ = writeln!(
            h,
            "<tr data-status=\"{}\" data-tags=\"{}\" data-authors=\"{}\" data-year=\"{}\" data-title=\"{}\">\
             <td class=\"n\">{}</td><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&status_key(e)),
            esc(&e.tags.join("\n")),
            esc(&e.authors.join("\n")),
            e.created.as_deref().and_then(year).unwrap_or(""),
            esc(&title.to_lowercase()),
            esc(e.number.as_deref().unwrap_or("")),
            esc(&link),
            esc(&title),
            status_cell(e),
            esc(&e.authors.join(", ")),
            esc(shown_date(e.created.as_deref().unwrap_or(""))),
            esc(shown_date(e.updated.as_deref().unwrap_or(""))),
            e.tags
                .iter()
                .map(|t| format!("<span class=\"tag\">{}</span>", esc(t)))
                .collect::<String>(),
        );
    }
    let _ = write!(
        h,
        "</tbody>\n</table>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    );
    h
}

#[cfg(test)]
mod tests {
    use super::{esc, page, year};
    use crate::workspace::rfc_index::Entry;
    use std::path::Path;

    #[test]
    fn years_are_read_from_any_date_and_text_is_escaped() {
        assert_eq!(year("2024-05-01"), Some("2024"));
        assert_eq!(year("9 Feb 2026"), Some("2026"));
        assert_eq!(year("12345"), None);
        assert_eq!(year(""), None);
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn the_page_holds_every_rfc_and_nothing_from_elsewhere() {
        let e = Entry {
            number: Some("7".into()),
            title: Some("Caching <fast>".into()),
            status: Some("Implemented (v2)".into()),
            authors: vec!["Ana".into()],
            created: Some("2024-05-01".into()),
            updated: None,
            tags: vec!["cache".into()],
            successor: None,
            predecessors: Vec::new(),
            file: "rfcs/rfc-007 cache.md".into(),
        };
        let html = page(&[e], Path::new("/r"), Path::new("/r"));
        assert!(html.contains("<a href=\"rfcs/rfc-007%20cache.md\">Caching &lt;fast&gt;</a>"));
        assert!(html.contains("data-status=\"Implemented\""));
        assert!(html.contains("<option value=\"Implemented\">Implemented (1)</option>"));
        assert!(html.contains("data-year=\"2024\""));
        // No network: nothing is fetched from elsewhere.
        for outside in ["http://", "https://", "src=", "@import"] {
            assert!(!html.contains(outside), "{outside}");
        }
    }
}
