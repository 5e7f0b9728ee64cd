package system

import (
	"context"
	"net"
	"time"
)

// dialTimeout bounds a connect, so a host that drops packets does not
// hang a poll.
const dialTimeout = time.Second

// Dial connects through this machine's network stack.
func (*Real) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	return Dial(ctx, network, addr)
}

// Dial is how a System that reaches this machine's network connects:
// net.Dialer with a one-second connect timeout.
func Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: dialTimeout}
	return d.DialContext(ctx, network, addr)
}
