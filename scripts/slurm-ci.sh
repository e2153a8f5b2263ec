#!/usr/bin/env bash
# A single-node Slurm cluster for tests, on this machine, as root.
#
#   bash scripts/slurm-ci.sh start    install slurm-wlm + munge if missing, start munged, slurmctld, slurmd;
#                                     prints `export SLURM_CONF=...` for the shell that runs the tests, and
#                                     nothing else on standard output (apt's and the daemons' output go to
#                                     standard error), so a caller can evaluate it
#   bash scripts/slurm-ci.sh status   the node and the queue
#   bash scripts/slurm-ci.sh stop     cancel every job, stop the daemons, remove the state folder
#
# The config, state and logs live in $SLURM_CI_DIR (default /tmp/slurm-ci); clients and jobs find
# the config through SLURM_CONF. Ports: SLURM_CTLD_PORT (6817) and SLURM_SLURMD_PORT (6818).
# SLURM_CI_FORCE_INSTALL=1 runs apt-get even when the packages are there (CI does, so the install
# path, and what it prints, is exercised on every run and not only on a new machine).
set -euo pipefail

DIR=${SLURM_CI_DIR:-/tmp/slurm-ci}
CTLD_PORT=${SLURM_CTLD_PORT:-6817}
SLURMD_PORT=${SLURM_SLURMD_PORT:-6818}
export SLURM_CONF="$DIR/slurm.conf"

say() { echo "slurm-ci: $*" >&2; }
die() { say "error: $*"; exit 1; }

need_root() {
    [ "$(id -u)" = 0 ] || die "run as root (the cluster's daemons and jobs run as root)"
}

install_packages() {
    if [ "${SLURM_CI_FORCE_INSTALL:-0}" != 1 ] && command -v slurmctld >/dev/null && command -v slurmd >/dev/null \
        && command -v sbatch >/dev/null && command -v munged >/dev/null; then
        return
    fi
    say "installing slurm-wlm and munge"
    # Keep the packages' postinst scripts from starting daemons with the default config.
    local guard=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        guard=/usr/sbin/policy-rc.d
    fi
    export DEBIAN_FRONTEND=noninteractive
    local status=0
    { apt-get update -q && apt-get install -y -q --no-install-recommends slurm-wlm munge; } || status=$?
    [ -n "$guard" ] && rm -f "$guard"
    [ "$status" = 0 ] || die "apt-get could not install slurm-wlm and munge (exit $status)"
}

port_in_use() {
    # /proc/net/tcp lists listening sockets (state 0A) with the port in hex.
    local hex
    hex=$(printf '%04X' "$1")
    grep -qE "^ *[0-9]+: [0-9A-F]+:$hex [0-9A-F]+:0000 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

start_munge() {
    if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
        return # a munged is already running: reuse it
    fi
    [ -f /etc/munge/munge.key ] || { /usr/sbin/mungekey -c && chown munge:munge /etc/munge/munge.key; }
    install -d -o munge -g munge -m0755 /run/munge
    runuser -u munge -- /usr/sbin/munged
    munge -n | unmunge >/dev/null || die "munged started but 'munge -n | unmunge' fails"
}

write_config() {
    local cpus memory
    cpus=$(nproc)
    memory=$(slurmd -C 2>/dev/null | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' | head -n1)
    [ -n "$memory" ] || memory=1000
    mkdir -p "$DIR/state" "$DIR/spool" "$DIR/log"
    local tmp="$SLURM_CONF.tmp.$$"
    cat > "$tmp" <<EOF
ClusterName=ci
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
AuthType=auth/munge
# A requeued job stays PENDING (Reason=BeginTime) for cred_expire + 1 s, until the job credential
# slurmd revoked when it killed the first run has expired (default 120 s); 11 s here.
AuthInfo=cred_expire=10
CredType=cred/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
# sched_interval: the main scheduler also looks at every pending job each 2 s (default 60 s), so a
# job whose BeginTime has passed (a requeued one) starts within 2 s instead of at the next event.
SchedulerParameters=batch_sched_delay=0,sched_interval=2
DependencyParameters=kill_invalid_depend
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/log/jobcomp.txt
MinJobAge=3600
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
    mv "$tmp" "$SLURM_CONF"
}

node_state() {
    sinfo -h -N -o '%t' 2>/dev/null | head -n1
}

start_cluster() {
    need_root
    install_packages
    if [ -f "$DIR/slurmctld.pid" ] && kill -0 "$(cat "$DIR/slurmctld.pid")" 2>/dev/null; then
        die "a cluster is already running from $DIR (stop it first: bash scripts/slurm-ci.sh stop)"
    fi
    for port in "$CTLD_PORT" "$SLURMD_PORT"; do
        port_in_use "$port" && die "port $port is in use; choose others with SLURM_CTLD_PORT / SLURM_SLURMD_PORT"
    done
    rm -rf "$DIR"
    write_config
    start_munge
    slurmctld || die "slurmctld did not start; see $DIR/log/slurmctld.log"
    slurmd || die "slurmd did not start; see $DIR/log/slurmd.log"
    local waited=0 state=""
    while [ "$waited" -lt 150 ]; do
        state=$(node_state)
        [ "$state" = idle ] && break
        sleep 0.2
        waited=$((waited + 1))
    done
    [ "$state" = idle ] || die "the node is '${state:-unknown}', not idle, after 30 s; see $DIR/log/"
    say "node localhost idle ($(nproc) CPUs)"
}

start() {
    # Standard output is for the caller's `eval`: everything the set-up and the programs it runs
    # print (apt-get, mungekey, the daemons) goes to standard error. The daemons must not inherit
    # the caller's pipe in any descriptor either, or the caller's `$(...)` would wait for them.
    ( start_cluster ) >&2
    echo "export SLURM_CONF=$SLURM_CONF"
}

wait_for_pid_file() {
    local file=$1 pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -TERM "$pid" 2>/dev/null || true
    sleep 1
    kill -KILL "$pid" 2>/dev/null || true
}

stop() {
    need_root
    if [ ! -f "$SLURM_CONF" ]; then
        say "no cluster in $DIR"
        return 0
    fi
    scancel --full --quiet --user=root 2>/dev/null || true
    for _ in $(seq 1 40); do
        [ -z "$(squeue -h -t PD,R,CG,S 2>/dev/null)" ] && break
        sleep 0.25
    done
    scontrol shutdown 2>/dev/null || true
    wait_for_pid_file "$DIR/slurmctld.pid"
    wait_for_pid_file "$DIR/slurmd.pid"
    munged --stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    say "stopped"
}

status() {
    [ -f "$SLURM_CONF" ] || { say "no cluster in $DIR"; exit 1; }
    sinfo -N
    squeue
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
