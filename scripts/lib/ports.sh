# scripts/lib/ports.sh: free loopback ports for the test servers (sourced by
# pg.sh and multinode.sh).

# True when something accepts connections on 127.0.0.1:$1.
port_busy() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A random port from 20000 up to the kernel's ephemeral range. A port inside
# that range may be held by an outgoing connection: nothing listens on it, so
# it looks free, yet a server cannot bind it.
port_random() {
	local low=32768 high
	read -r low high </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
	[ "$low" -gt 21000 ] 2>/dev/null || low=32768
	echo $((20000 + RANDOM % (low - 20000)))
}
