# Sourced by the suites that start processes and keep their logs in a work directory:
#
#     finish_work RC DIR KEEP
#
# on failure (RC not 0) prints the last 40 lines of each log in DIR and keeps it; on success
# removes DIR unless KEEP is 1. Says where the logs are, with `say` if the suite has one.
finish_work() {
    local rc="$1" dir="$2" keep="$3" log
    if [ "$rc" -ne 0 ]; then
        for log in "$dir"/*.log; do
            [ -f "$log" ] || continue
            echo "----- last 40 lines of $log -----"
            tail -n 40 "$log"
        done
        echo "logs kept in $dir" >&2
    elif [ "$keep" = 1 ]; then
        echo "logs kept in $dir" >&2
    else
        rm -rf "$dir"
    fi
}
