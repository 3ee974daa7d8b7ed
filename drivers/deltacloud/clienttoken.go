package deltacloud

// clientTokenHeader is the header with which a server's entry point says
// that its creates honour the client_token parameter ("supported"), as
// this module's api handler does for drivers that honour tokens.
const clientTokenHeader = "X-Deltacloud-Client-Token"

// SupportsClientToken reports whether the server advertised, on its entry
// point, that creates honour client_token. A server that does not (the
// original Deltacloud, or one whose driver cannot) would ignore the
// parameter and launch twice on a retry, so the Provider refuses a token
// for it instead of sending one.
func (c *conn) SupportsClientToken() bool { return c.clientTokens }
