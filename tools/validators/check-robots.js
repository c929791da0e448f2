// Reads robots.txt with robots-parser (Google's rules: longest match,
// wildcards) and checks it against what the site means. Usage:
//   node check-robots.js FILE BASE_URL news|no-news
// (no-news: the site has no news sitemap, which robots.txt must not name).
'use strict';
const fs = require('fs');
const robotsParser = require('robots-parser');

const [file, base, news] = process.argv.slice(2);
const origin = base.replace(/\/$/, '');
const robots = robotsParser(origin + '/robots.txt', fs.readFileSync(file, 'utf8'));
const problems = [];
const expect = (path, allowed) => {
  for (const ua of ['Googlebot', 'Baiduspider', 'Bingbot']) {
    if (robots.isAllowed(origin + path, ua) !== allowed) problems.push(`${ua} ${allowed ? 'may not' : 'may'} crawl ${path}`);
  }
};
expect('/', true);
expect('/stories/2023/06/x/', true);
expect('/notices/', true);
expect('/sitemap.xml', true);
expect('/search/?q=x', false);
expect('/admin/', false);
expect('/api/search?q=x', false);
const sitemaps = robots.getSitemaps();
const want = news === 'news' ? ['/sitemap.xml', '/news-sitemap.xml'] : ['/sitemap.xml'];
for (const w of want) {
  if (!sitemaps.includes(origin + w)) problems.push(`no Sitemap: ${origin + w} (have ${sitemaps.join(', ')})`);
}
if (sitemaps.length !== want.length) problems.push(`Sitemap lines ${sitemaps.join(', ')}, want ${want.map((w) => origin + w).join(', ')}`);
for (const s of sitemaps) {
  try { if (!/^https?:$/.test(new URL(s).protocol)) throw new Error(); } catch { problems.push(`Sitemap ${s} is not an absolute URL`); }
}
for (const p of problems) console.log(`${file}: ${p}`);
process.exit(problems.length ? 1 : 0);
