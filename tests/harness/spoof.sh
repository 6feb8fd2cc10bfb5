# shellcheck shell=bash
#
# spoof.sh: a spoofed root for the integration harness, sourced after
# lib.sh.  A second nsd on its own loopback address serves the harness
# root's names signed by keys of its own (a KSK and a ZSK nobody's anchor
# names): what a resolver or the agent would see if its upstream were
# hijacked.  An agent whose stub points there gets no SECURE answer, so
# `anchorwatch fix` must refuse.

# h_spoof_root ADDR: generate the spoof keys, sign the root zone with
# them and serve it on ADDR port 53; wait until it answers.
h_spoof_root() {
	local addr=$1 dir=$H/spoof now
	mkdir -p "$dir"
	h_addr_add "$addr"
	# the keys live beside the real ones (h_root_zone reads them there)
	h_keygen spoofksk -k
	h_keygen spoofzsk
	h_root_zone 1 spoofzsk spoofksk
	now=$(h_now)
	ldns-signzone -d -o . -i $((now - 3600)) -e $((now + 30 * 86400)) \
	    -f "$dir/root.signed" "$H/root/root.zone" \
	    "$H/root/keys/spoofzsk" "$H/root/keys/spoofksk" ||
	    h_bail "ldns-signzone failed for the spoofed root"
	# the real root's zone is rewritten by its next stage
	cat >"$dir/nsd.conf" <<EOF
server:
	ip-address: $addr@53
	do-ip6: no
	server-count: 1
	database: ""
	zonelistfile: "$dir/zone.list"
	xfrdfile: "$dir/xfrd.state"
	pidfile: "$dir/nsd.pid"
	logfile: "$dir/nsd.log"
	username: ""
	chroot: ""
	xfrdir: "$dir"
	verbosity: 1
	rrl-ratelimit: 0
	rrl-whitelist-ratelimit: 0
remote-control:
	control-enable: no
zone:
	name: "."
	zonefile: "$dir/root.signed"
EOF
	nsd -d -c "$dir/nsd.conf" >>"$dir/nsd.log" 2>&1 &
	h_pid_add nsd-spoof $!
	h_wait_for "spoofed root serving on $addr" 10 h_root_answers "$addr" ||
	    h_bail "the spoofed root did not start"
}

# 0 if a root server on ADDR port 53 answers SOA.
h_root_answers() {
	[ -n "$(h_soa_serial "$1")" ]
}
