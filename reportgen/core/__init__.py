"""What every stage shares: findings, numbers, text, dates, writes."""
