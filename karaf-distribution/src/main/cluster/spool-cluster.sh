#!/bin/sh
#
# Makes and runs a Spool cluster of Karaf instances on this machine: member-1 ... member-N, each unpacked from the
# Spool Karaf distribution into its own directory (so its own etc/ and data/), with its own SSH, JMX (RMI registry
# and server) and replication ports, all on 127.0.0.1, and the Raft group "default" spanning all of them.
#
# Ports of member i (1-based) with base port B (option -p):
#   B + 10*i      replication (Raft peer links)
#   B + 10*i + 1  SSH console (bin/client)
#   B + 10*i + 2  JMX RMI registry
#   B + 10*i + 3  JMX RMI server
#
set -eu

script_dir=$(cd "$(dirname "$0")" && pwd)

usage() {
    cat <<EOF
Usage: $(basename "$0") [-d dir] [-n members] [-p base-port] [-t distribution] command [arguments]

Commands:
  create           unpack and configure the members (the cluster directory must not hold any yet)
  join             unpack and configure one more member, member-(N+1), to join the running group "default" of
                   the N members (their files stay as they are); start it, then add it on the leader's console:
                   spool:add-member --non-voting default member-(N+1) 127.0.0.1:<its replication port>
  start            start every member in the background (bin/start)
  wait [seconds]   wait until every member's console answers (default 120 seconds)
  status           say which members run, with their ports and, if running, their Raft groups
  client i [cmd]   run console commands on member i: the arguments as one command, or standard input
  stop             stop every member (bin/stop), killing one that has not exited after 60 seconds
  destroy          stop every member and delete the members' directories (and the cluster directory, if empty)

Options:
  -d dir           the cluster directory (default: ./spool-cluster)
  -n members       how many members create makes (default: 3)
  -p base-port     the base port for create (default: 17400); member i uses base + 10*i to base + 10*i + 3
  -t distribution  for create: a spool-karaf-*.tar.gz or an unpacked distribution directory
                   (default: the one this source tree built, in karaf-distribution/target)
EOF
}

fail() {
    echo "spool-cluster: $*" >&2
    exit 1
}

cluster_dir=spool-cluster
member_count=3
base_port=17400
distribution=
stop_seconds=60
connect_attempts=3

while getopts d:n:p:t:h option; do
    case $option in
        d) cluster_dir=$OPTARG ;;
        n) member_count=$OPTARG ;;
        p) base_port=$OPTARG ;;
        t) distribution=$OPTARG ;;
        h) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { usage >&2; exit 2; }
command=$1
shift

case $member_count in
    '' | *[!0-9]* | 0) fail "-n needs a number of members from 1 to 99, not '$member_count'" ;;
esac
[ "$member_count" -le 99 ] || fail "-n needs a number of members from 1 to 99, not '$member_count'"
case $base_port in
    '' | *[!0-9]*) fail "-p needs a port number, not '$base_port'" ;;
esac
[ $((base_port + 10 * member_count + 3)) -le 65535 ] \
    || fail "-p $base_port leaves no room for $member_count members' ports below 65536"

# The Karaf scripts locate each instance from their own path; inherited locations would make every member share one.
unset KARAF_HOME KARAF_BASE KARAF_DATA KARAF_ETC KARAF_LOG CDPATH

# Absolute, as Karaf names its base directory on the command line of its JVM (see running_pid).
case $cluster_dir in
    /*) ;;
    *) cluster_dir=$PWD/$cluster_dir ;;
esac

port() { # member-number offset
    echo $((base_port + 10 * $1 + $2))
}

# Runs a function for each member's directory, in member order.
for_each_member() { # function
    for member_dir in "$cluster_dir"/member-? "$cluster_dir"/member-??; do
        if [ -d "$member_dir" ]; then
            "$1" "$member_dir"
        fi
    done
}

# Sets key = value in a properties file, replacing the key's line (commented out or not), else appending one.
set_property() { # file key value
    if grep -q "^[#[:space:]]*$2[[:space:]]*=" "$1"; then
        sed "s|^[#[:space:]]*$2[[:space:]]*=.*|$2 = $3|" "$1" > "$1.new"
        mv "$1.new" "$1"
    else
        echo "$2 = $3" >> "$1"
    fi
}

get_property() { # file key
    sed -n "s|^[[:space:]]*$2[[:space:]]*=[[:space:]]*||p" "$1" | tail -n 1
}

default_distribution() {
    for candidate in "$script_dir"/../../../target/spool-karaf-*.tar.gz "$script_dir/../../../target/assembly"; do
        if [ -e "$candidate" ]; then
            echo "$candidate"
            return
        fi
    done
    fail "no distribution built in $script_dir/../../../target: build it (./mvnw -B package -DskipTests) or pass -t"
}

unpack() { # distribution target-dir
    mkdir -p "$2"
    if [ -d "$1" ]; then
        cp -R "$1"/. "$2"
        # A distribution that was run holds that run's state: each member starts from none.
        rm -rf "$2/data" "$2/instances" "$2/karaf.pid"
        mkdir "$2/data"
    else
        tar -xzf "$1" -C "$2" --strip-components=1
    fi
}

# The members other than member $1 (all of them if $1 is 0) as a typed list of "id=127.0.0.1:port".
member_list() { # member-number-to-leave-out
    list=
    listed=1
    while [ "$listed" -le "$member_count" ]; do
        if [ "$listed" -ne "$1" ]; then
            list="$list${list:+, }\"member-$listed=127.0.0.1:$(port "$listed" 0)\""
        fi
        listed=$((listed + 1))
    done
    echo "[ $list ]"
}

# The configuration files use the typed syntax ("text", [ "a", "b" ]) for every value: only then does Karaf read the
# lists as lists; a plain "a, b" would be one string.
configure() { # member-number dir [join]
    etc=$2/etc
    set_property "$etc/org.apache.karaf.shell.cfg" sshHost 127.0.0.1
    set_property "$etc/org.apache.karaf.shell.cfg" sshPort "$(port "$1" 1)"
    set_property "$etc/org.apache.karaf.management.cfg" rmiRegistryPort "$(port "$1" 2)"
    set_property "$etc/org.apache.karaf.management.cfg" rmiServerPort "$(port "$1" 3)"
    set_property "$etc/system.properties" karaf.name "spool-member-$1"
    cat > "$etc/dev.spool.replication.cfg" <<EOF
# Replication of member-$1 (made by spool-cluster.sh): where it listens, and its peers as id=host:port.
memberId = "member-$1"
listenHost = "127.0.0.1"
listenPort = I"$(port "$1" 0)"
peers = $(member_list "$1")
EOF
    cat > "$etc/dev.spool.raft.group-default.cfg" <<EOF
# The Raft group "default" of member-$1 (made by spool-cluster.sh), serving the example key-value store.
# The members bootstrap an empty log only; afterwards the membership recorded in the log is authoritative.
spool.group = "default"
stateMachine.target = "(spool.group=default)"
codec.target = "(spool.group=default)"
memberId = "member-$1"
members = $(member_list 0)
durability = "SYNC"
EOF
    if [ "${3:-}" = join ]; then
        cat >> "$etc/dev.spool.raft.group-default.cfg" <<EOF
# member-$1 joins the running group of the members above: it writes no first entry of its own and waits until
# spool:add-member on the leader adds it.
join = B"true"
EOF
    fi
}

create() {
    [ ! -d "$cluster_dir/member-1" ] || fail "$cluster_dir already holds members; destroy it first"
    [ -n "$distribution" ] || distribution=$(default_distribution)
    [ -e "$distribution" ] || fail "distribution $distribution does not exist"
    i=1
    while [ "$i" -le "$member_count" ]; do
        dir=$cluster_dir/member-$i
        unpack "$distribution" "$dir"
        configure "$i" "$dir"
        echo "member-$i: $dir (replication $(port "$i" 0), ssh $(port "$i" 1), jmx rmi $(port "$i" 2)/$(port "$i" 3))"
        i=$((i + 1))
    done
}

# Adds member-(N+1) to the N members create made, configured to join their running group; the ports follow from
# member-1's (the base port create used).
join() {
    [ -d "$cluster_dir/member-1" ] || fail "$cluster_dir holds no members; create them first"
    member_count=1
    while [ -d "$cluster_dir/member-$((member_count + 1))" ]; do
        member_count=$((member_count + 1))
    done
    joining=$((member_count + 1))
    [ "$joining" -le 99 ] || fail "$cluster_dir holds 99 members already"
    first_port=$(get_property "$cluster_dir/member-1/etc/dev.spool.replication.cfg" listenPort | tr -cd 0-9)
    base_port=$((first_port - 10))
    [ $((base_port + 10 * joining + 3)) -le 65535 ] || fail "no room for member-$joining's ports below 65536"
    [ -n "$distribution" ] || distribution=$(default_distribution)
    [ -e "$distribution" ] || fail "distribution $distribution does not exist"
    dir=$cluster_dir/member-$joining
    unpack "$distribution" "$dir"
    configure "$joining" "$dir" join
    echo "member-$joining: $dir (replication $(port "$joining" 0), ssh $(port "$joining" 1)," \
        "jmx rmi $(port "$joining" 2)/$(port "$joining" 3)); once started, add it on the leader:" \
        "spool:add-member --non-voting default member-$joining 127.0.0.1:$(port "$joining" 0)"
}

# Prints the pid of the member's Karaf JVM, found by the base directory on its command line (the pid file may be
# missing while the JVM boots, or stale after a crash); fails if none runs. Only a java process counts: this awk's
# own command line holds the base directory too.
running_pid() { # dir
    ps -A -ww -o pid= -o args= | awk -v base="-Dkaraf.base=$1 " '
        $2 ~ /java$/ && index($0 " ", base) { print $1; found = 1; exit }
        END { exit !found }'
}

start_member() { # dir
    if pid=$(running_pid "$1"); then
        echo "$(basename "$1"): already running (pid $pid)"
    else
        "$1/bin/start"
        echo "$(basename "$1"): starting"
    fi
}

ssh_port() { # dir
    get_property "$1/etc/org.apache.karaf.shell.cfg" sshPort
}

# Runs console commands on a member: its arguments as one command, else standard input. The client reads commands
# from standard input in batch mode (-b); a command given as an argument would need a terminal.
console() { # dir [command ...]
    if [ $# -gt 1 ]; then
        console_dir=$1
        shift
        echo "$*" | console "$console_dir"
    else
        "$1/bin/client" -a "$(ssh_port "$1")" -u karaf -p karaf -r "$connect_attempts" -d 1 -b
    fi
}

client() { # member-number [command ...]
    [ $# -ge 1 ] || fail "client needs a member number"
    [ -d "$cluster_dir/member-$1" ] || fail "no member $1 in $cluster_dir"
    client_dir=$cluster_dir/member-$1
    shift
    console "$client_dir" "$@"
}

# A member is ready once its console runs spool:groups. While the member boots, one client keeps trying to connect
# until the deadline (a client is a JVM of its own: starting one per second would slow the boot down).
wait_member() { # dir
    member=$(basename "$1")
    while :; do
        connect_attempts=$((deadline - $(date +%s)))
        [ "$connect_attempts" -gt 0 ] || fail "$member's console did not answer within $wait_seconds seconds"
        if console "$1" spool:groups > /dev/null 2>&1; then
            break
        fi
        running_pid "$1" > /dev/null || fail "$member is not running"
        sleep 1
    done
    echo "$member: ready"
}

status_member() { # dir
    member=$(basename "$1")
    if pid=$(running_pid "$1"); then
        echo "$member: running (pid $pid, ssh $(ssh_port "$1"))"
        console "$1" spool:groups 2>&1 | sed 's/^/    /' || true
    else
        echo "$member: stopped"
    fi
}

request_stop() { # dir
    if running_pid "$1" > /dev/null; then
        "$1/bin/stop" > /dev/null 2>&1 || true
    fi
}

await_stop() { # dir
    member=$(basename "$1")
    waited=0
    while pid=$(running_pid "$1"); do
        if [ "$waited" -ge "$stop_seconds" ]; then
            echo "$member: did not stop within $stop_seconds seconds; killing pid $pid" >&2
            kill -9 "$pid" 2> /dev/null || true
        fi
        sleep 1
        waited=$((waited + 1))
    done
    echo "$member: stopped"
}

# Asks every member to stop first, so they shut down in parallel, then waits for each.
stop() {
    for_each_member request_stop
    for_each_member await_stop
}

remove_member() { # dir
    rm -rf "$1"
}

# Removes the members' directories, and the cluster directory only if nothing else is left in it.
destroy() {
    stop
    for_each_member remove_member
    if rmdir "$cluster_dir" 2> /dev/null; then
        echo "removed $cluster_dir"
    else
        echo "removed the members; $cluster_dir holds other files and stays"
    fi
}

case $command in
    create) create ;;
    join) join ;;
    start) for_each_member start_member ;;
    wait)
        wait_seconds=${1:-120}
        deadline=$(( $(date +%s) + wait_seconds ))
        for_each_member wait_member ;;
    status) for_each_member status_member ;;
    client) client "$@" ;;
    stop) stop ;;
    destroy) destroy ;;
    *) usage >&2; exit 2 ;;
esac
