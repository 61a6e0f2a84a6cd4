"""Prototype: run nvcc's own steps (from --dryrun) with the independent ones in parallel; prints wall ms per run.

Rule: host-compiler preprocessing (-E) starts at once; cudafe++ waits only for what precedes it except ptxas/fatbinary/rm;
every other step waits for all steps before it. Diagnostic only.
"""
import os, re, subprocess, sys, time, threading

def plan(nvcc, args):
    text = subprocess.run([nvcc, *args, "--dryrun"], capture_output=True, text=True).stderr
    env, steps = dict(os.environ), []
    for line in text.splitlines():
        if not line.startswith("#$ "):
            continue
        body = line[3:]
        m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", body)
        if m:
            env[m.group(1)] = m.group(2).strip() if m.group(1) != "PATH" else m.group(2)
            continue
        steps.append(re.sub(r"^rm ", "rm -f ", body))
    return env, steps

def tool(step):
    return os.path.basename(step.split()[0])

def run(nvcc, args):
    env, steps = plan(nvcc, args)
    done = [threading.Event() for _ in steps]
    failed = []
    def deps(i):
        s = steps[i]
        if " -E " in s:
            return []
        if tool(s) == "cudafe++":
            return [j for j in range(i) if tool(steps[j]) not in ("ptxas", "fatbinary", "rm")]
        return list(range(i))
    def work(i):
        for j in deps(i):
            done[j].wait()
        if not failed:
            p = subprocess.run(["/bin/sh", "-c", steps[i]], env=env, capture_output=True, text=True)
            if p.returncode:
                failed.append((steps[i], p.stderr))
        done[i].set()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(steps))]
    for t in threads: t.start()
    for t in threads: t.join()
    return failed

if __name__ == "__main__":
    nvcc, out, *args = sys.argv[1:]
    times = []
    for i in range(5):
        s = time.monotonic()
        failed = run(nvcc, [*args, "-o", f"{out}/dag-{i}.so"])
        times.append(round((time.monotonic() - s) * 1000))
        if failed:
            print("FAILED", failed[0][0][:200], failed[0][1][:500])
    print("dag_parallel ms:", *times)
