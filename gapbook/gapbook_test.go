package gapbook

import (
	"testing"
	"time"
)

// TestRegionTime: 生成时间 is China Standard Time, with the zone's data
// or without it.
func TestRegionTime(t *testing.T) {
	at := time.Date(2025, 3, 14, 23, 30, 0, 0, time.UTC)
	for _, loc := range []*time.Location{regionTime, zoneOrCST("Nowhere/No_Such_Zone")} {
		if got := at.In(loc).Format("2006-01-02 15:04 Z07:00"); got != "2025-03-15 07:30 +08:00" {
			t.Errorf("%s: %s", loc, got)
		}
	}
}
