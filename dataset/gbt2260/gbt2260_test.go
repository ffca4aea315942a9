package gbt2260

import (
	"reflect"
	"testing"
)

func TestName(t *testing.T) {
	for code, want := range map[string]string{
		"140000": "山西省", "140800": "运城市", "140827": "垣曲县", "140882": "河津市", "110100": "北京市",
	} {
		if got, ok := Name(code); !ok || got != want {
			t.Errorf("Name(%s) = %q, %v; want %q", code, got, ok, want)
		}
	}
	if _, ok := Name("149999"); ok {
		t.Error("Name(149999) found a name")
	}
}

func TestCountyCodes(t *testing.T) {
	if got := CountyCodes("垣曲县"); !reflect.DeepEqual(got, []string{"140827"}) {
		t.Errorf("垣曲县 → %v", got)
	}
	if got := CountyCodes("朝阳区"); len(got) < 2 {
		t.Errorf("朝阳区 → %v, want several", got)
	}
	if got := CountyCodes("无此县"); len(got) != 0 {
		t.Errorf("unknown name → %v", got)
	}
}

func TestRegion(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
		ok   bool
	}{
		{[]string{"140802", "140827"}, "140800", true},
		{[]string{"140802", "140702"}, "140000", true},
		{[]string{"140802", "110101"}, "", false},
		{[]string{"140800"}, "", false},
		{[]string{"Z01"}, "", false},
		{nil, "", false},
	} {
		got, ok := Region(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("Region(%v) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	if Level("140000") != "province" || Level("140800") != "city" || Level("140827") != "county" || Level("x") != "" {
		t.Error("Level")
	}
}
