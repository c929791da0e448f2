package importer

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

func TestDebugDump(t *testing.T) {
	f := os.Getenv("IMPORTER_DUMP")
	if f == "" {
		t.Skip()
	}
	b, _ := os.ReadFile(f)
	items, rep, err := Parse(string(b), Options{Date: "2023-06-08", Page: 1})
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.MarshalIndent(items, "", "  ")
	fmt.Println(string(j))
	fmt.Printf("%+v\n", rep)
}
