package host

import (
	"context"
	"fmt"

	"github.com/envup/envup/internal/install"
	"github.com/envup/envup/internal/install/service"
)

// Control runs action (status, start or stop) on each service among
// resources, in order, and returns them with where each stands after.
func (h *Host) Control(ctx context.Context, resources []install.Resource, action string) ([]*service.Service, []service.Status, error) {
	var services []*service.Service
	for _, res := range resources {
		if s, ok := install.As[*service.Service](res); ok {
			services = append(services, s)
		}
	}
	var statuses []service.Status
	for _, s := range services {
		var err error
		switch action {
		case "start":
			err = s.Start(ctx, h.Sys)
		case "stop":
			err = s.Stop(ctx, h.Sys)
		case "status":
		default:
			err = fmt.Errorf("want status, start or stop")
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %s: %w", s.ID(), action, err)
		}
		st, err := s.Status(ctx, h.Sys)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", s.ID(), err)
		}
		statuses = append(statuses, st)
	}
	return services, statuses, nil
}
