// Package site builds the reader site with Hugo. It is the only package
// that imports Hugo, and no Hugo type leaves it.
//
// Archive renders the site in parts (see docs/architecture.md); Builder
// renders it as one Hugo build, the monolithic baseline. The files hold:
//
//   - hugo.go, deploy.go: what talks to Hugo (the only files importing it);
//     render.go and overlay.go feed it a part's content from memory and
//     collect its output in memory; static.go copies static files;
//   - parts.go: which part owns which output file, which stories are hot,
//     and what every part is told of the archive (site.Params.archive);
//     archive_catalog.go: the content files by month; news.go: the news
//     sitemap's items;
//   - tree.go: what a rendered part changes in a tree and how it is
//     written (the live tree file by file, a new tree through fulltree.go's
//     queue); state.go: the parts' state saved between runs;
//   - archive.go: the Archive, its state and lock, and publishing;
//     background.go: rollovers and month re-renders; fullbuild.go: full
//     rebuilds; builder.go: the monolithic Builder; runner.go: the
//     coalescing runner both use ("share the next run").
package site
