// Package search is the archive's Chinese full-text search: an adapter over
// Bleve (storage, scoring, paging) with its own analysis, because Bleve's
// cjk bigram analyzer finds 市长 in 南京市长江大桥 and drops full-width
// digits, while dictionary segmentation alone misses unknown names.
//
// Every text field is indexed twice. The word field holds gse dictionary
// segmentation (plus a built-in dictionary of the 吕梁 region and an optional
// user dictionary), with the dictionary words inside a long word and
// number+measure-word compounds (198个) at the position of their parent, so
// phrases and highlights stay exact. The bigram field holds overlapping
// character pairs and is queried only as a phrase, for the words the
// dictionary does not know; it leaves out the pairs whose both characters
// belong to dictionary words of the text, which are most of them. The index
// keeps positions but no offsets: Search marks hits by matching the query against the
// stored title and the body (read back through Options.BodyOf from the
// caller's own files, or stored deflated without it) itself. Text is folded
// first (NFKC width folding, traditional → simplified, lower case) while
// offsets stay on the original characters, so 呂梁市離石區 and ２０２３年 are
// found and highlighted as written. The proper nouns of a document (people,
// places, organisations in the dictionaries) are also indexed by their
// pinyin and its initials (lvliang, ll → 吕梁).
//
// Terms are ANDed; "quoted phrases" need adjacency (checked by phraseQuery,
// which walks the postings without Bleve's per-hit location maps); -term
// excludes. A query that is exactly a notice's 文号 or 统一社会信用代码
// returns that notice first. The package imports nothing from the rest of the repository: the
// caller maps its own types onto Document.
package search
