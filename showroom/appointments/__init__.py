"""Video-call appointments (SPEC §5, Std ch.8): booked, reminded 10 minutes before,
rescheduled with the old time kept, started as a `video` order with the gathered goods."""
