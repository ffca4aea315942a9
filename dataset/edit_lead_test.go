package dataset_test

import (
	"errors"
	"strings"
	"testing"

	"chainscope"
	"chainscope/dataset"
)

func leadRecord(l chainscope.Lead) *dataset.Records {
	return &dataset.Records{Leads: []chainscope.Lead{l}}
}

func TestApplyEditLead(t *testing.T) {
	cur := readDrive(t)
	l := cur.Leads[0]
	l.Stage = chainscope.LeadInspected
	l.Dates = map[string]string{"visited": "2024-01-10", "intent": "2024-02-01", "inspected": "2024-02-15"}
	res, err := dataset.ApplyEdit(cur, dataset.Edit{Kind: dataset.EditLead, Action: dataset.EditUpdate, ID: l.ID, Record: leadRecord(l)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Dataset.Leads[0].Stage != chainscope.LeadInspected || cur.Leads[0].Stage != chainscope.LeadNegotiating {
		t.Fatal("update not applied, or cur modified")
	}
	if res.Before.(*chainscope.Lead).Stage != chainscope.LeadNegotiating {
		t.Fatal("before")
	}
	// the result is what Build makes of the edited records
	if _, probs := dataset.Build(dataset.Flatten(res.Dataset)); len(probs) > 0 {
		t.Fatal(probs)
	}
	// stage out of order: Build's problem
	l.Dates["inspected"] = "2024-01-01"
	_, err = dataset.ApplyEdit(cur, dataset.Edit{Kind: dataset.EditLead, Action: dataset.EditUpdate, ID: l.ID, Record: leadRecord(l)})
	var inv *chainscope.InvalidError
	if !errors.As(err, &inv) || len(inv.Problems) != 1 || !strings.Contains(inv.Problems[0].Message, "out of order") {
		t.Fatalf("%v", err)
	}
	// create with a taken id; delete of an unknown id
	_, err = dataset.ApplyEdit(cur, dataset.Edit{Kind: dataset.EditLead, Action: dataset.EditCreate, ID: "L-2", Record: leadRecord(cur.Leads[1])})
	if chainscope.ErrorCode(err) != chainscope.ECONFLICT {
		t.Fatalf("create taken = %v", err)
	}
	_, err = dataset.ApplyEdit(cur, dataset.Edit{Kind: dataset.EditLead, Action: dataset.EditDelete, ID: "L-9"})
	if chainscope.ErrorCode(err) != chainscope.ENOTFOUND {
		t.Fatalf("delete unknown = %v", err)
	}
	res, err = dataset.ApplyEdit(cur, dataset.Edit{Kind: dataset.EditLead, Action: dataset.EditDelete, ID: "L-1"})
	if err != nil || len(res.Dataset.Leads) != 2 || len(cur.Leads) != 3 {
		t.Fatalf("delete: %v", err)
	}
	// deleting the project a signed lead names, or the enterprise a lead names, is refused
	_, err = dataset.ApplyEdit(cur, dataset.Edit{Kind: dataset.EditProject, Action: dataset.EditDelete, ID: "P-2024-017", Cascade: true})
	if !errors.As(err, &inv) || !strings.Contains(inv.Problems[0].Message, "L-2") || inv.Problems[0].Column != "project" {
		t.Fatalf("delete a lead's project: %v", err)
	}
}
