// Reads robots.txt with robots-parser (Google's rules: longest match,
// wildcards) and checks it against what the site means. Usage:
//   node check-robots.js FILE BASE_URL
'use strict';
const fs = require('fs');
const robotsParser = require('robots-parser');

const [file, base] = process.argv.slice(2);
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
for (const want of ['/sitemap.xml', '/news-sitemap.xml']) {
  if (!sitemaps.includes(origin + want)) problems.push(`no Sitemap: ${origin + want} (have ${sitemaps.join(', ')})`);
}
for (const s of sitemaps) {
  try { if (!/^https?:$/.test(new URL(s).protocol)) throw new Error(); } catch { problems.push(`Sitemap ${s} is not an absolute URL`); }
}
for (const p of problems) console.log(`${file}: ${p}`);
process.exit(problems.length ? 1 : 0);
