"""Follow-up picking (跟单) on the clerk's tablet: the order, wishes, issues, remarks."""
