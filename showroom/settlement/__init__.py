"""Settlement (结算) at the cashier: queue, payments and change, on-the-spot returns."""
