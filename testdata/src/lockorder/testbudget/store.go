// Package testbudget: with the test-root budget spent, kafkalint cannot
// tell that two tests never run at once, and keeps the report (run by
// TestTestRootBudget with a budget of one step).
package testbudget
