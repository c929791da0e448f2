// Package bench measures the site at a given size, end to end, with real
// processes of the newsroom binary: generation, full builds (in parts and
// monolithic), the search index, start-up and publish-to-live latency. It
// is `newsroom bench`; the figures go to BENCHMARKS.md.
package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"newsroom/internal/content"
)

// Options say what Run measures.
type Options struct {
	// Self is the newsroom binary; every step runs in a process of its own.
	Self string
	// Root is the site folder whose settings, content and theme the
	// generated archive starts from.
	Root string
	// Stories is the size of the generated archive, spread over Years up
	// to End (YYYY-MM-DD, or now).
	Stories, Years int
	End            string
	// Publishes and BaselinePublishes are the publishes timed on the site
	// in parts and on the monolithic baseline; Every, if not 0, is the
	// mean of random intervals between them.
	Publishes, BaselinePublishes int
	Every                        time.Duration
	SkipBaseline, SkipRebuild    bool
	// Keep keeps the generated site folder (for Reuse).
	Keep bool
	// ServerLog, if not nil, receives the log of the server the publishes
	// are timed on.
	ServerLog io.Writer
	// Photos, if not 0: the generated archive has this many distinct
	// pictures, every story leads with one (gen --photos), and every timed
	// story is filed with a photo uploaded to the media library first, as
	// a reporter does (its sizes are made at upload, not in the publish).
	Photos int
}

// Run measures the archive at a given size, end to end, with real
// processes: it copies the site, generates an archive, builds it in parts
// and as one monolithic Hugo site, indexes it, then starts the server
// (both ways) and times publishes until the page is served and found by
// search. It prints a Markdown report for BENCHMARKS.md on stdout and its
// progress on stderr.
func Run(ctx context.Context, o Options, stdout, stderr io.Writer) error {
	log := func(format string, a ...any) { fmt.Fprintf(stderr, "bench: "+format+"\n", a...) }
	self := o.Self
	dir, err := os.MkdirTemp("", "newsroom-bench-")
	if err != nil {
		return err
	}
	if !o.Keep {
		defer os.RemoveAll(dir)
	}
	for _, name := range []string{"hugo.toml", "content", "themes", "static", "search-dict.txt"} {
		if err := copyTree(filepath.Join(o.Root, name), filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	r := benchReport{Stories: o.Stories, Years: o.Years, Cores: runtime.NumCPU(), CPU: cpuModel(), Date: time.Now().Format(time.DateOnly)}

	log("generating %d stories in %s", o.Stories, dir)
	if _, err := child(ctx, self, "gen", "--site", dir, "--stories", strconv.Itoa(o.Stories), "--years", strconv.Itoa(o.Years), "--end", o.End, "--photos", strconv.Itoa(o.Photos)); err != nil {
		return err
	}
	log("full build in parts")
	if r.Parts, err = timedBuild(ctx, self, "build", "--site", dir); err != nil {
		return err
	}
	log("  %d pages in %s, %.0f pages/s, peak RSS %d MB", r.Parts.Pages, r.Parts.Wall.Round(time.Millisecond), r.Parts.PagesPerSec(), r.Parts.MaxRSS>>20)
	if !o.SkipBaseline {
		log("full build, monolithic baseline")
		if r.Mono, err = timedBuild(ctx, self, "build", "--monolithic", "--site", dir); err != nil {
			return err
		}
		log("  %d pages in %s, %.0f pages/s, peak RSS %d MB", r.Mono.Pages, r.Mono.Wall.Round(time.Millisecond), r.Mono.PagesPerSec(), r.Mono.MaxRSS>>20)
	}
	log("search index")
	if r.Index, err = timedBuild(ctx, self, "index", "--site", dir); err != nil {
		return err
	}
	log("  %s, peak RSS %d MB", r.Index.Wall.Round(time.Millisecond), r.Index.MaxRSS>>20)

	log("publishing %d stories (parts)", o.Publishes)
	if r.PublishParts, r.StartParts, r.CheckParts, err = timePublishes(ctx, self, dir, publishRun{Count: o.Publishes, Every: o.Every, ServerLog: o.ServerLog, Placements: &r.Placements, Photos: o.Photos > 0}, log); err != nil {
		return err
	}
	if !o.SkipBaseline && o.BaselinePublishes > 0 {
		log("publishing %d stories (monolithic)", o.BaselinePublishes)
		if r.PublishMono, _, _, err = timePublishes(ctx, self, dir, publishRun{Count: o.BaselinePublishes, Mono: true}, log); err != nil {
			return err
		}
	}
	if !o.SkipRebuild {
		// A rebuild of a live site (a new theme) takes over the tree
		// before the live one once that has been out of service for a
		// minute; the first build left only one tree.
		log("rebuild of the live site: a second tree first")
		if _, err := timedBuild(ctx, self, "build", "--site", dir); err != nil {
			return err
		}
		log("  waiting a minute, then the rebuild that takes over the first tree")
		select {
		case <-time.After(61 * time.Second):
		case <-ctx.Done():
			return ctx.Err()
		}
		if r.Rebuild, err = timedBuild(ctx, self, "build", "--site", dir); err != nil {
			return err
		}
		log("  %d pages in %s, %.0f pages/s, peak RSS %d MB", r.Rebuild.Pages, r.Rebuild.Wall.Round(time.Millisecond), r.Rebuild.PagesPerSec(), r.Rebuild.MaxRSS>>20)
	}
	r.write(stdout)
	return nil
}

type buildRun struct {
	Pages  int
	Wall   time.Duration
	MaxRSS int64 // bytes
}

func (b buildRun) PagesPerSec() float64 {
	if b.Wall == 0 {
		return 0
	}
	return float64(b.Pages) / b.Wall.Seconds()
}

type benchReport struct {
	Stories, Years, Cores     int
	CPU, Date                 string
	Parts, Mono               buildRun
	Rebuild                   buildRun      // newsroom build again on the built site, over the tree before the live one
	Index                     buildRun      // newsroom index (no pages)
	StartParts                time.Duration // serve on the built site: start until /healthz is ready
	CheckParts                time.Duration // then until the search index check is done
	PublishParts, PublishMono []time.Duration
	Placements                []time.Duration // placement changes (头条) until the home page shows them
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := int(float64(len(s))*p+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}

func (r benchReport) write(w io.Writer) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000) }
	fmt.Fprintf(w, "### %d stories over %d years, %.0f a day (%s, %d cores, %s)\n\n", r.Stories, r.Years,
		float64(r.Stories)/(float64(r.Years)*365.25), r.CPU, r.Cores, r.Date)
	fmt.Fprintf(w, "| | archive in parts | monolithic baseline |\n|---|---|---|\n")
	build := func(b buildRun) string {
		if b.Pages == 0 {
			return "not run"
		}
		return fmt.Sprintf("%d pages in %s (%.0f pages/s)", b.Pages, b.Wall.Round(time.Second), b.PagesPerSec())
	}
	fmt.Fprintf(w, "| full build | %s | %s |\n", build(r.Parts), build(r.Mono))
	perPage := func(b buildRun) string {
		if b.Pages == 0 {
			return "–"
		}
		return fmt.Sprintf("%d MB (%.0f KB/page)", b.MaxRSS>>20, float64(b.MaxRSS)/1024/float64(b.Pages))
	}
	fmt.Fprintf(w, "| peak RSS of the build | %s | %s |\n", perPage(r.Parts), perPage(r.Mono))
	if r.Rebuild.Pages > 0 {
		fmt.Fprintf(w, "| full rebuild of the live site (overwrites the tree before the live one) | %s, peak RSS %s | |\n", build(r.Rebuild), perPage(r.Rebuild))
	}
	latency := func(d []time.Duration, p float64, withN bool) string {
		if len(d) == 0 {
			return "–"
		}
		if withN {
			return fmt.Sprintf("%s (n=%d)", ms(percentile(d, p)), len(d))
		}
		return ms(percentile(d, p))
	}
	fmt.Fprintf(w, "| publish-to-live p50 | %s | %s |\n", latency(r.PublishParts, 0.5, true), latency(r.PublishMono, 0.5, true))
	fmt.Fprintf(w, "| publish-to-live p95 | %s | %s |\n", latency(r.PublishParts, 0.95, false), latency(r.PublishMono, 0.95, false))
	if len(r.Placements) > 0 {
		fmt.Fprintf(w, "| placement change (头条) until the home page shows it, p50 / max | %s / %s | |\n", latency(r.Placements, 0.5, true), ms(percentile(r.Placements, 1)))
	}
	fmt.Fprintf(w, "| search index rebuild (`newsroom index`) | %s, peak RSS %d MB | |\n", r.Index.Wall.Round(time.Second), r.Index.MaxRSS>>20)
	fmt.Fprintf(w, "| `serve` start-up on the built site, until ready | %s | |\n", r.StartParts.Round(100*time.Millisecond))
	fmt.Fprintf(w, "| then the search index check (publishes wait for it) | %s | |\n\n", r.CheckParts.Round(100*time.Millisecond))
}

// Reuse measures start-up and publishes (o.Publishes, o.Every,
// o.ServerLog) on the site folder dir that an earlier Run generated, built
// and indexed (Options.Keep), which at a million stories saves the hour and
// a half those steps take.
func Reuse(ctx context.Context, dir string, o Options, stdout, stderr io.Writer) error {
	log := func(format string, a ...any) { fmt.Fprintf(stderr, "bench: "+format+"\n", a...) }
	self := o.Self
	var placements []time.Duration
	run := publishRun{Count: o.Publishes, Every: o.Every, ServerLog: o.ServerLog, Placements: &placements, Photos: o.Photos > 0}
	n, err := content.Dir{Root: filepath.Join(dir, "content")}.Count()
	if err != nil {
		return err
	}
	log("reusing %s (%d content files); publishing %d stories", dir, n, run.Count)
	lat, startup, check, err := timePublishes(ctx, self, dir, run, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "### %d content files, reused site (%s, %d cores, %s)\n\n", n, cpuModel(), runtime.NumCPU(), time.Now().Format(time.DateOnly))
	fmt.Fprintf(stdout, "| | archive in parts |\n|---|---|\n")
	fmt.Fprintf(stdout, "| `serve` start-up until ready | %s |\n", startup.Round(100*time.Millisecond))
	fmt.Fprintf(stdout, "| then the search index check | %s |\n", check.Round(100*time.Millisecond))
	ms := func(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000) }
	fmt.Fprintf(stdout, "| publish-to-live p50 | %s (n=%d) |\n", ms(percentile(lat, 0.5)), len(lat))
	fmt.Fprintf(stdout, "| publish-to-live p95 | %s |\n", ms(percentile(lat, 0.95)))
	if len(placements) > 0 {
		fmt.Fprintf(stdout, "| placement change (头条) until the home page shows it, p50 / max | %s / %s (n=%d) |\n",
			ms(percentile(placements, 0.5)), ms(percentile(placements, 1)), len(placements))
	}
	fmt.Fprintln(stdout)
	return nil
}

// benchSigners returns API tokens of one reviewer per level of the default
// chain (editor, director, chief) of the site in dir, adding the users the
// first time (a kept site has them already).
func benchSigners(ctx context.Context, self, dir string) ([]string, error) {
	var tokens []string
	for _, role := range []string{"editor", "director", "chief"} {
		name := "bench-" + role
		out, err := child(ctx, self, "token", "create", "--site", dir, name)
		if err != nil {
			if _, err := childIn(ctx, self, "bench-password-"+role+"\n", "user", "add", "--site", dir, "--role", role, name); err != nil {
				return nil, err
			}
			if out, err = child(ctx, self, "token", "create", "--site", dir, name); err != nil {
				return nil, err
			}
		}
		tokens = append(tokens, lastLine(out))
	}
	return tokens, nil
}

// child runs this program with args and returns its standard output.
func child(ctx context.Context, self string, args ...string) (string, error) {
	return childIn(ctx, self, "", args...)
}

// childIn runs newsroom with args and stdin as its standard input.
func childIn(ctx context.Context, self, stdin string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, self, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("newsroom %s: %v\n%s", strings.Join(args, " "), err, lastLines(errb.String(), 10))
	}
	return out.String(), nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

var (
	builtRE = regexp.MustCompile(`built (\d+) pages`)
	tookRE  = regexp.MustCompile(` took=(\S+)`)
)

// timedBuild runs a build in its own process, so its peak RSS is its own.
func timedBuild(ctx context.Context, self string, args ...string) (buildRun, error) {
	cmd := exec.CommandContext(ctx, self, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return buildRun{}, fmt.Errorf("newsroom %s: %v\n%s", strings.Join(args, " "), err, lastLines(errb.String(), 10))
	}
	run := buildRun{Wall: time.Since(start)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		run.MaxRSS = ru.Maxrss * 1024
	}
	if m := builtRE.FindStringSubmatch(out.String()); m != nil {
		run.Pages, _ = strconv.Atoi(m[1])
	}
	return run, nil
}

// timePublishes starts the server on dir and times publishes: from the
// publish request until the story's page is served and search finds it.
// It also returns how long the server took from its start to ready.
// publishRun says how timePublishes publishes.
type publishRun struct {
	Count     int
	Mono      bool          // serve --monolithic
	Every     time.Duration // mean of random intervals between publishes (0: each right after the last)
	ServerLog io.Writer     // if not nil, the server's log is copied here
	// Placements, if not nil, receives the times of placement changes
	// made after the publishes (a published story put first on the home
	// page, PUT /api/admin/placement/home, until the home page's 头条 is it).
	Placements *[]time.Duration
	Photos     bool // file each story with an uploaded photo
}

func timePublishes(ctx context.Context, self, dir string, run publishRun, log func(string, ...any)) (lat []time.Duration, startup, check time.Duration, err error) {
	count, mono, serverLog := run.Count, run.Mono, run.ServerLog
	args := []string{"serve", "--site", dir, "--addr", "127.0.0.1:0"}
	if mono {
		args = append(args, "--monolithic")
	}
	cmd := exec.CommandContext(ctx, self, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, 0, 0, err
	}
	// The server's log: kept for an error message, and watched for the
	// end of the start-up index check, which the publishes wait for (they
	// measure the steady state, not a server still checking its index).
	logr, logw := io.Pipe()
	cmd.Stderr = logw
	var (
		errMu   sync.Mutex
		errTail []string
		checked = make(chan struct{})
		// the hot part's render time of each publish, from the server's log
		renders = make(chan string, 1000)
	)
	go func() {
		sc := bufio.NewScanner(logr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		once := sync.OnceFunc(func() { close(checked) })
		for sc.Scan() {
			line := sc.Text()
			if serverLog != nil {
				fmt.Fprintln(serverLog, line)
			}
			if strings.Contains(line, `msg="search index checked"`) {
				once()
			}
			if m := tookRE.FindStringSubmatch(line); m != nil && strings.Contains(line, `msg="site updated"`) {
				select {
				case renders <- m[1]:
				default:
				}
			}
			errMu.Lock()
			errTail = append(errTail[max(0, len(errTail)-20):], line)
			errMu.Unlock()
		}
	}()
	lastLog := func() string {
		errMu.Lock()
		defer errMu.Unlock()
		return lastLines(strings.Join(errTail, "\n"), 10)
	}
	started := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, 0, err
	}
	defer logw.Close()
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
		}
	}()
	lines := bufio.NewScanner(stdout)
	base := ""
	for base == "" && lines.Scan() {
		if m := regexp.MustCompile(`serving (http://\S+?)/ `).FindStringSubmatch(lines.Text()); m != nil {
			base = m[1]
		}
	}
	go io.Copy(io.Discard, stdout)
	if base == "" {
		return nil, 0, 0, fmt.Errorf("server did not start:\n%s", lastLog())
	}
	for deadline := time.Now().Add(2 * time.Hour); ; time.Sleep(200 * time.Millisecond) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return nil, 0, 0, errors.New("server not ready")
		}
	}
	startup = time.Since(started)
	log("  server ready after %s", startup.Round(100*time.Millisecond))
	select {
	case <-checked:
	case <-time.After(2 * time.Hour):
		return nil, 0, 0, fmt.Errorf("search index check did not finish:\n%s", lastLog())
	case <-ctx.Done():
		return nil, 0, 0, ctx.Err()
	}
	check = time.Since(started) - startup
	log("  search index checked %s later", check.Round(100*time.Millisecond))
	tokOut, err := child(ctx, self, "token", "create", "--site", dir, "admin")
	if err != nil {
		return nil, 0, 0, err
	}
	token := lastLine(tokOut)
	// One reviewer per level of the 三审: nobody signs two levels of a
	// story, nor their own (the admin files the stories).
	signers, err := benchSigners(ctx, self, dir)
	if err != nil {
		return nil, 0, 0, err
	}
	// Spaced publishes arrive at random (exponential intervals, a fixed
	// seed), as an evening's stories do: some land while the background
	// re-renders a month or rolls over, which back-to-back publishes never
	// see.
	arrivals := rand.New(rand.NewPCG(1, 2))
	var ids []int64
	var markers []string
	for i := 0; i < count; i++ {
		if run.Every > 0 && i > 0 {
			wait := time.Duration(arrivals.ExpFloat64() * float64(run.Every))
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return nil, 0, 0, ctx.Err()
			}
		}
		marker := fmt.Sprintf("bench%dx%d", time.Now().UnixNano()%1e9, i)
		var created struct {
			ID int64 `json:"id"`
		}
		story := map[string]any{
			"title": "基准测试稿件 " + marker, "section": "本地", "source": "本报讯", "authors": []string{"记者 测试"},
			"body": "这是一篇用于测量发布延迟的稿件，编号 " + marker + "。\n\n第二段正文。",
		}
		if run.Photos {
			photo, err := uploadPhoto(base, token, i, marker)
			if err != nil {
				return nil, 0, 0, err
			}
			story["photos"] = []map[string]any{photo}
		}
		if err := benchCall(base, token, "POST", "/api/admin/stories", story, &created); err != nil {
			return nil, 0, 0, err
		}
		// Through the review chain first, one reviewer per level; only
		// the publish itself is timed.
		id := fmt.Sprintf("/api/admin/stories/%d", created.ID)
		var st struct {
			State string `json:"state"`
		}
		if err := benchCall(base, token, "POST", id+"/submit", nil, &st); err != nil {
			return nil, 0, 0, err
		}
		for _, signer := range signers {
			if err := benchCall(base, signer, "POST", id+"/approve", nil, &st); err != nil {
				return nil, 0, 0, err
			}
		}
		var pub struct {
			URL string `json:"url"`
		}
		start := time.Now()
		if err := benchCall(base, token, "POST", fmt.Sprintf("/api/admin/stories/%d/publish", created.ID), nil, &pub); err != nil {
			return nil, 0, 0, err
		}
		for {
			if servedAndFound(base, pub.URL, marker) {
				break
			}
			if time.Since(start) > 30*time.Minute {
				return nil, 0, 0, fmt.Errorf("story %s never became visible", pub.URL)
			}
			time.Sleep(5 * time.Millisecond)
		}
		lat = append(lat, time.Since(start))
		render := "?"
		select {
		case render = <-renders:
		case <-time.After(time.Second):
		}
		log("  publish %d: %s (site render %s)", i+1, lat[len(lat)-1].Round(time.Millisecond), render)
		ids, markers = append(ids, created.ID), append(markers, marker)
	}
	if run.Placements != nil && len(ids) >= 2 {
		// The oldest and the newest of the stories just published take
		// turns as the 头条.
		for k := range min(6, 2*len(ids)) {
			j := 0
			if k%2 == 1 {
				j = len(ids) - 1
			}
			start := time.Now()
			var placed map[string]any
			if err := benchCall(base, token, "PUT", "/api/admin/placement/home", map[string]any{"stories": []int64{ids[j]}}, &placed); err != nil {
				return nil, 0, 0, err
			}
			for !leadIs(base, markers[j]) {
				if time.Since(start) > 10*time.Minute {
					return nil, 0, 0, fmt.Errorf("placement of story %d never reached the home page", ids[j])
				}
				time.Sleep(5 * time.Millisecond)
			}
			*run.Placements = append(*run.Placements, time.Since(start))
			log("  placement %d: %s", k+1, time.Since(start).Round(time.Millisecond))
		}
	}
	return lat, startup, check, nil
}

// leadIs reports whether the home page's 头条 is the story with marker.
func leadIs(base, marker string) bool {
	resp, err := http.Get(base + "/")
	if err != nil {
		return false
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	i := bytes.Index(body, []byte(`class="lead-story"`))
	if resp.StatusCode != 200 || i < 0 {
		return false
	}
	lead := body[i:]
	if j := bytes.Index(lead, []byte("</article>")); j >= 0 {
		lead = lead[:j]
	}
	return bytes.Contains(lead, []byte(marker))
}

func servedAndFound(base, path, marker string) bool {
	resp, err := http.Get(base + path)
	if err != nil {
		return false
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(marker)) {
		return false
	}
	resp, err = http.Get(base + "/api/search?q=" + url.QueryEscape(marker))
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var res struct {
		Hits []struct {
			URL string `json:"url"`
		} `json:"hits"`
	}
	json.NewDecoder(resp.Body).Decode(&res)
	for _, h := range res.Hits {
		if h.URL == path {
			return true
		}
	}
	return false
}

func benchCall(base, token, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, base+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	return json.Unmarshal(data, out)
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

func cpuModel() string {
	data, _ := os.ReadFile("/proc/cpuinfo")
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

// copyTree copies a file or folder.
func copyTree(src, dst string) error {
	info, err := os.Stat(src)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	}
	return filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// uploadPhoto uploads picture i (made here: 1600×1067, its own colours)
// to the media library with a caption and credit, as a reporter does
// before filing, and returns the story's photo that names it.
func uploadPhoto(base, token string, i int, marker string) (map[string]any, error) {
	const w, h = 1600, 1067
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, color.RGBA{uint8(i*37 + x/7), uint8(i*11 + y/5), uint8((x + y) / 11), 255})
		}
	}
	var pic bytes.Buffer
	if err := jpeg.Encode(&pic, img, &jpeg.Options{Quality: 85}); err != nil {
		return nil, err
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", marker+".jpg")
	if err != nil {
		return nil, err
	}
	fw.Write(pic.Bytes())
	caption, credit := "图为基准测试现场。", "记者 测试 摄"
	mw.WriteField("caption", caption)
	mw.WriteField("credit", credit)
	mw.WriteField("alt", "基准测试图片")
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/api/admin/media", &body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return nil, fmt.Errorf("upload photo: %d %s", resp.StatusCode, data)
	}
	var m struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	return map[string]any{"media": m.ID, "caption": caption, "credit": credit}, nil
}
