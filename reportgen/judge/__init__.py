"""Judging what was read: names, numbers, rules, scores, ranks, audits, the round."""
