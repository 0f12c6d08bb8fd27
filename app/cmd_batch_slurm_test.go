package main

import (
	"bytes"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// slurmPackages are the Debian packages of a single-node Slurm cluster
// (the Makefile's test dependencies).
const slurmPackages = "slurmctld slurmd slurm-client munge"

// slurmCluster is a single-node Slurm cluster of the test's own: munged on
// a private socket, slurmctld and slurmd on free ports, configuration,
// state and logs in one folder, so it disturbs no other cluster or test.
type slurmCluster struct {
	dir string
	env []string // SLURM_CONF for the clients
}

// startSlurm starts the cluster and stops it when t ends. It skips t,
// saying why, when it cannot: not root, packages missing, or the node not
// idle within 30 s.
func startSlurm(t *testing.T) *slurmCluster {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("the Slurm test starts munged, slurmctld and slurmd, which needs root (CI runs as root)")
	}
	for _, b := range []string{"/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "munge", "sbatch", "squeue", "sinfo", "scontrol"} {
		if _, err := exec.LookPath(b); err != nil {
			t.Skipf("Slurm is not installed (%s: %v): `make deps-test` installs %s", b, err, slurmPackages)
		}
	}
	mu, err := user.Lookup("munge")
	if err != nil {
		t.Skipf("no munge user (%v): `make deps-test` installs %s", err, slurmPackages)
	}
	dir, err := os.MkdirTemp("", "ecgstation-slurm-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	c := &slurmCluster{dir: dir, env: []string{"SLURM_CONF=" + filepath.Join(dir, "slurm.conf")}}
	sock := c.startMunge(t, mu)
	if err := c.writeConf(sock); err != nil {
		t.Fatal(err)
	}
	c.daemon(t, "slurmctld", "-D", "-c", "-i")
	c.daemon(t, "slurmd", "-D")
	c.waitIdle(t)
	return c
}

// startMunge starts munged as the munge user on a socket in the cluster's
// folder and returns the socket's path.
func (c *slurmCluster) startMunge(t *testing.T, mu *user.User) string {
	t.Helper()
	md := filepath.Join(c.dir, "munge")
	uid, _ := strconv.Atoi(mu.Uid)
	gid, _ := strconv.Atoi(mu.Gid)
	if err := os.Chmod(c.dir, 0o711); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(md, 0o711); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(md, uid, gid); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(md, "socket")
	cmd := exec.Command("/usr/sbin/munged", "-F", "--socket="+sock, "--key-file=/etc/munge/munge.key",
		"--pid-file="+filepath.Join(md, "pid"), "--log-file="+filepath.Join(md, "log"), "--seed-file="+filepath.Join(md, "seed"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	c.start(t, cmd, filepath.Join(md, "out"))
	for range 50 {
		if exec.Command("munge", "-S", sock, "-n").Run() == nil {
			return sock
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Skipf("munged did not start within 5 s:\n%s", tail(filepath.Join(md, "out")))
	return ""
}

// start starts cmd with its output in the file out and kills it when t
// ends.
func (c *slurmCluster) start(t *testing.T, cmd *exec.Cmd, out string) {
	t.Helper()
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		t.Skipf("cannot start %s: %v", cmd.Path, err)
	}
	t.Cleanup(func() {
		stop(cmd)
		f.Close()
	})
}

// stop ends a daemon: SIGTERM, so it ends its helpers (slurmscriptd,
// slurmstepd) too, then SIGKILL after 5 s.
func stop(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// daemon starts a Slurm daemon in the foreground on the cluster's
// configuration.
func (c *slurmCluster) daemon(t *testing.T, name string, args ...string) {
	t.Helper()
	cmd := exec.Command("/usr/sbin/"+name, args...)
	cmd.Env = append(os.Environ(), c.env...)
	c.start(t, cmd, filepath.Join(c.dir, name+".out"))
}

// freePort returns a TCP port nothing listens on now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// writeConf writes slurm.conf: one node (this host, all its cores), one
// partition, no cgroups or accounting (SETUP-NOTES: a single-node Slurm).
func (c *slurmCluster) writeConf(sock string) error {
	host, err := os.Hostname()
	if err != nil {
		return err
	}
	host, _, _ = strings.Cut(host, ".")
	ctld, err := freePort()
	if err != nil {
		return err
	}
	slurmd, err := freePort()
	if err != nil {
		return err
	}
	d := c.dir
	conf := fmt.Sprintf(`ClusterName=ecgtest
SlurmctldHost=%[1]s(127.0.0.1)
SlurmctldPort=%[2]d
SlurmdPort=%[3]d
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=%[4]s
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MailProg=/bin/true
MpiDefault=none
StateSaveLocation=%[5]s/state
SlurmdSpoolDir=%[5]s/spool
SlurmctldPidFile=%[5]s/slurmctld.pid
SlurmdPidFile=%[5]s/slurmd.pid
SlurmctldLogFile=%[5]s/slurmctld.log
SlurmdLogFile=%[5]s/slurmd.log
NodeName=%[1]s NodeAddr=127.0.0.1 CPUs=%[6]d State=UNKNOWN
PartitionName=test Nodes=%[1]s Default=YES MaxTime=INFINITE State=UP
`, host, ctld, slurmd, sock, d, runtime.NumCPU())
	for _, sub := range []string{"state", "spool"} {
		if err := os.Mkdir(filepath.Join(d, sub), 0o755); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(d, "slurm.conf"), []byte(conf), 0o644)
}

// waitIdle waits up to 30 s for the node to be idle, and skips t with the
// daemons' logs when it is not.
func (c *slurmCluster) waitIdle(t *testing.T) {
	t.Helper()
	state := ""
	for range 120 {
		out, _ := c.client("sinfo", "-h", "-o", "%T").Output()
		if state = strings.TrimSpace(string(out)); state == "idle" {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Skipf("the Slurm node is %q, not idle, 30 s after the start:\n%s\n%s", state,
		tail(filepath.Join(c.dir, "slurmctld.log")), tail(filepath.Join(c.dir, "slurmd.log")))
}

// client is a Slurm client command on the cluster.
func (c *slurmCluster) client(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), c.env...)
	return cmd
}

// wait polls squeue until none of the jobs is queued or running, for at
// most limit.
func (c *slurmCluster) wait(t *testing.T, limit time.Duration, jobs ...string) {
	t.Helper()
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(500 * time.Millisecond) {
		out, err := c.client("squeue", "-h", "-j", strings.Join(jobs, ",")).Output()
		if err == nil && len(bytes.TrimSpace(out)) == 0 {
			return
		}
	}
	t.Fatalf("jobs %v still queued or running after %s", jobs, limit)
}

// exitCodes returns "JobState ExitCode" of each task of job.
func (c *slurmCluster) exitCodes(t *testing.T, job string) []string {
	t.Helper()
	out, err := c.client("scontrol", "-o", "show", "job", job).Output()
	if err != nil {
		t.Fatalf("scontrol show job %s: %v", job, err)
	}
	var states []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var st, ec string
		for _, f := range strings.Fields(l) {
			if v, ok := strings.CutPrefix(f, "JobState="); ok {
				st = v
			}
			if v, ok := strings.CutPrefix(f, "ExitCode="); ok {
				ec = v
			}
		}
		states = append(states, st+" "+ec)
	}
	return states
}

// tail returns the last lines of a log file.
func tail(path string) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return path + ":\n" + strings.Join(lines[max(0, len(lines)-15):], "\n")
}

// TestSlurmArrayMatchesAnnotate starts a single-node Slurm cluster, submits
// a job array over 20 synthetic 3-minute records, 5 records a task, with
// the merge job after it (app/batch/slurm/submit.sh), and checks that
// every task and the merge succeeded and that the merged database holds
// exactly the labels of one local annotate run, label by label. The jobs
// run this test binary as the ecgstation program (TestMain).
func TestSlurmArrayMatchesAnnotate(t *testing.T) {
	needORT(t)
	c := startSlurm(t)
	dir := t.TempDir()
	arch := filepath.Join(dir, "archive")
	recs := synthArchive(t, arch, 20, "3m")
	local := annotateLocal(t, dir, recs)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	merged := filepath.Join(dir, "merged.db")
	wall, tasks := runArray(t, c, exe, arch, filepath.Join(dir, "out"), merged, 5, 150*time.Second)
	n, beats := sameModelLayers(t, local, merged)
	t.Logf("Slurm array: %d records (%d beats) in %d tasks and a merge job, %.1f s from submit to merged; merged database equals one local annotate run",
		n, beats, tasks, wall)
	if n != 20 || tasks != 4 {
		t.Errorf("%d records in %d tasks, want 20 in 4", n, tasks)
	}
}

// The throughput study's flags (make batch-throughput): records of 1 h,
// records per Slurm task, rounds.
var (
	throughputRecords = flag.Int("batch.records", 0, "TestSlurmThroughput: number of synthetic 1 h records (0: skip the study)")
	throughputPerTask = flag.Int("batch.per-task", 10, "TestSlurmThroughput: records per Slurm array task")
	throughputRounds  = flag.Int("batch.rounds", 3, "TestSlurmThroughput: rounds of single process and array, alternating")
)

// TestSlurmThroughput is the throughput study (make batch-throughput, not
// part of make test): -batch.records synthetic 1 h records pre-annotated
// by one process (batch run with every core, then batch merge) and by the
// Slurm array (-batch.per-task records a task, a core each, then the merge
// job), alternating for -batch.rounds rounds. It logs each wall time, the
// medians and their ratio, and checks both merged databases hold the same
// labels.
func TestSlurmThroughput(t *testing.T) {
	if *throughputRecords <= 0 {
		t.Skip("the throughput study runs with -batch.records N (make batch-throughput)")
	}
	needORT(t)
	c := startSlurm(t)
	dir := t.TempDir()
	arch := filepath.Join(dir, "archive")
	synthArchive(t, arch, *throughputRecords, "1h")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var single, array, merge []float64
	var lastSingle, lastArray string
	for r := range *throughputRounds {
		lastSingle = filepath.Join(dir, fmt.Sprintf("single%d.db", r))
		s, m := timeSingle(t, exe, arch, filepath.Join(dir, fmt.Sprintf("single%d", r)), lastSingle)
		lastArray = filepath.Join(dir, fmt.Sprintf("array%d.db", r))
		a, tasks := runArray(t, c, exe, arch, filepath.Join(dir, fmt.Sprintf("array%d", r)), lastArray, *throughputPerTask, time.Hour)
		t.Logf("round %d: single process %.1f s (merge %.1f s), Slurm array of %d tasks %.1f s", r+1, s, m, tasks, a)
		single, array, merge = append(single, s), append(array, a), append(merge, m)
	}
	n, beats := sameModelLayers(t, lastSingle, lastArray)
	ms, ma := median(single), median(array)
	t.Logf("%d records of 1 h (%d beats), %d cores: single process median %.1f s (%.2f s a record; merge %.2f s, %.0f ms a record), "+
		"Slurm array median %.1f s: single/array %.2f", n, beats, runtime.NumCPU(), ms, ms/float64(n), median(merge),
		1000*median(merge)/float64(n), ma, ms/ma)
}

// timeSingle runs the whole archive as one batch process with every core
// and merges its bundle; it returns the wall seconds of both together and
// of the merge alone.
func timeSingle(t *testing.T, exe, arch, out, db string) (float64, float64) {
	t.Helper()
	t0 := time.Now()
	runAsMain(t, exe, "batch", "run", arch, "--out", out, "--quiet", "--threads", strconv.Itoa(runtime.NumCPU()))
	t1 := time.Now()
	runAsMain(t, exe, "batch", "merge", "--db", db, "--tasks", "1", out)
	return time.Since(t0).Seconds(), time.Since(t1).Seconds()
}

// runAsMain runs the test binary as ecgstation and fails t when it fails.
func runAsMain(t *testing.T, exe string, args ...string) {
	t.Helper()
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), asMainEnv+"=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
}

// runArray submits the archive as a Slurm array of perTask records a task
// and its merge job (submit.sh), waits for them at most limit, fails t
// unless every task and the merge completed with exit status 0 (logging
// the jobs' outputs), and returns the wall seconds from submit to merged
// and the number of tasks.
func runArray(t *testing.T, c *slurmCluster, exe, arch, out, db string, perTask int, limit time.Duration) (float64, int) {
	t.Helper()
	submit, err := filepath.Abs(filepath.Join("batch", "slurm", "submit.sh"))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	cmd := c.client(submit, arch, out, db, strconv.Itoa(perTask))
	cmd.Dir = filepath.Dir(out)
	cmd.Env = append(cmd.Env, "ECGSTATION="+exe, asMainEnv+"=1", "CPUS_PER_TASK=1")
	ids, err := cmd.Output()
	jobs := strings.Fields(string(ids))
	if err != nil || len(jobs) != 2 {
		t.Fatalf("submit.sh: %v: %q", err, ids)
	}
	c.wait(t, limit, jobs...)
	wall := time.Since(t0).Seconds()
	tasks, merge := c.exitCodes(t, jobs[0]), c.exitCodes(t, jobs[1])
	for _, s := range append(slices.Clone(tasks), merge...) {
		if s != "COMPLETED 0:0" {
			logs, _ := filepath.Glob(filepath.Join(cmd.Dir, "ecgstation-*.out"))
			for _, l := range logs {
				t.Log(tail(l))
			}
			t.Fatalf("array %s tasks %v, merge %v: want every one COMPLETED 0:0", jobs[0], tasks, merge)
		}
	}
	return wall, len(tasks)
}

func median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
