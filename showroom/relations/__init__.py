"""Customer relations (SPEC §8, Std ch.13): birthdays (solar and 农历), festival greetings,
New Year gifts for A-level customers, the clerks' weekly contact, customers gone quiet."""
