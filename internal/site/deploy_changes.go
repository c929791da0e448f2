package site

// DeployChanges are what a deploy changed in the bucket: the files of the
// tree it uploaded (new or different) and the ones it deleted, as paths
// in the tree (slash-separated: stories/2023/06/x/index.html). A CDN in
// front of the bucket must fetch them again (see internal/purge).
type DeployChanges struct {
	Uploaded, Deleted []string
}
