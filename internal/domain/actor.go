package domain

import "context"

// Actor is who is acting in a request: recorded with every audited change.
type Actor struct {
	UserID     int64 // 0 for anonymous users and the system
	RequestID  string
	ClientAddr string
}

type actorKey struct{}

// WithActor returns ctx carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of ctx, the zero Actor (the system) if none.
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}
