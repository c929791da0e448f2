// Parses RSS feeds with two parsers nobody here wrote (feedparser and
// rss-parser) and checks what readers and aggregators need: a channel link
// and items with an absolute link, a guid and a date. Usage:
//   node check-feeds.js FILE...     (exit 1 and one line per problem on failure)
'use strict';
const fs = require('fs');
const { Readable } = require('stream');
const FeedParser = require('feedparser');
const RSSParser = require('rss-parser');

const absolute = (u) => { try { const x = new URL(u); return x.protocol === 'http:' || x.protocol === 'https:'; } catch { return false; } };

function feedparser(text) {
  return new Promise((resolve, reject) => {
    // Not strict: in sax's strict mode feedparser misses camel-case tags (pubDate);
    // rss-parser below reads the feed as strict XML.
    const fp = new FeedParser({});
    const items = [];
    let meta;
    fp.on('error', reject);
    fp.on('meta', (m) => { meta = m; });
    fp.on('readable', function () { let it; while ((it = this.read())) items.push(it); });
    fp.on('end', () => resolve({ meta, items }));
    Readable.from([text]).pipe(fp);
  });
}

async function check(file) {
  const problems = [];
  const text = fs.readFileSync(file, 'utf8');
  let a;
  try { a = await feedparser(text); } catch (e) { return [`${file}: feedparser: ${e.message}`]; }
  if (!a.meta || !absolute(a.meta.link)) problems.push(`${file}: channel link ${a.meta && a.meta.link} is not absolute`);
  if (!a.meta.title) problems.push(`${file}: no channel title`);
  const self = (a.meta['atom:link'] || []);
  const selfs = (Array.isArray(self) ? self : [self]).map((l) => l && l['@'] && l['@'].href).filter(Boolean);
  if (!selfs.length || !selfs.every(absolute)) problems.push(`${file}: atom:link self ${selfs} is not absolute`);
  for (const it of a.items) {
    if (!absolute(it.link)) problems.push(`${file}: item ${it.title}: link ${it.link} is not absolute`);
    if (!it.guid) problems.push(`${file}: item ${it.title}: no guid`);
    if (!it.pubdate || isNaN(it.pubdate)) problems.push(`${file}: item ${it.title}: no valid pubDate`);
  }
  let b;
  try { b = await new RSSParser().parseString(text); } catch (e) { return problems.concat(`${file}: rss-parser: ${e.message}`); }
  if (b.items.length !== a.items.length) problems.push(`${file}: rss-parser read ${b.items.length} items, feedparser ${a.items.length}`);
  // rss-parser keeps links as written (feedparser resolves relative ones).
  if (!absolute(b.link)) problems.push(`${file}: rss-parser: channel link ${b.link} is not absolute`);
  for (const it of b.items) {
    if (!it.isoDate) problems.push(`${file}: rss-parser: item ${it.title}: no date`);
    if (!absolute(it.link)) problems.push(`${file}: rss-parser: item ${it.title}: link ${it.link} is not absolute`);
    if (!absolute(it.guid)) problems.push(`${file}: rss-parser: item ${it.title}: guid ${it.guid} is not an absolute URL`);
  }
  return problems;
}

(async () => {
  let all = [];
  for (const f of process.argv.slice(2)) all = all.concat(await check(f));
  for (const p of all) console.log(p);
  process.exit(all.length ? 1 : 0);
})();
