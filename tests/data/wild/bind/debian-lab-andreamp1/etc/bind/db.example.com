;
; BIND data file for example.com
;
$TTL	604800
@	IN	SOA	example.com. root.example.com. (
			      2		; Serial
			 604800		; Refresh
			  86400		; Retry
			2419200		; Expire
			 604800 )	; Negative Cache TTL
;
@	IN	NS	ns.example.com.
@	IN	A	192.168.1.69
@	IN	AAAA	::1
ns  IN  A	192.168.1.69
@	IN	TXT	"Texto de ejemplo"
@ 	IN 	CNAME ejemplo1
