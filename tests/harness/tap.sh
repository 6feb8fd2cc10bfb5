# shellcheck shell=sh
# tap.sh: TAP for the plain sh tests that need no namespace (t-docs.sh,
# t-version.sh).  Sourced; counts in n, remembers a failure in fail.
n=0
fail=0

# ok STATUS NAME: "ok N - NAME" when STATUS is 0, else "not ok".
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

# is GOT WANT NAME: ok when GOT is WANT; says both when not.
is() {
	[ "$1" = "$2" ]
	ok $? "$3"
	[ "$1" = "$2" ] || echo "# got '$1', want '$2'"
}

# tap_end: the plan, and the exit status.
tap_end() {
	echo "1..$n"
	exit $fail
}
