"""The manager's inbox (SPEC §8): new remarks (意见/建议/投诉), wishes and escalated
inquiries, each marked "handled" with when and by whom."""
