"""Visits through the API: arrive, hand to a clerk, leave with the locker key."""
from __future__ import annotations

from api_support import API, assert_problem, seed_world, snapshot


def test_arrive_assign_and_leave(app, client, api_headers):
    world = seed_world(app)
    headers = api_headers("reception")
    resp = client.post(f"{API}/visits", headers=headers,
                       json={"customer_id": world["other_customer"], "locker_no": "B7"})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    visit = resp.get_json()
    assert (visit["status"], visit["greeted_at"], visit["locker_no"]) == ("waiting", None, "B7")
    assert visit["arrived_at"]
    assigned = client.post(f"{API}/visits/{visit['id']}/assign", headers=headers,
                           json={"clerk_staff_no": world["clerk_no"]})
    assert assigned.status_code == 200, assigned.get_data(as_text=True)
    body = assigned.get_json()
    assert (body["status"], body["clerk_staff_no"]) == ("with_clerk", world["clerk_no"])
    assert body["greeted_at"] and body["assigned_at"]
    before = snapshot(app)
    refused = client.post(f"{API}/visits/{visit['id']}/leave", headers=headers,
                          json={"locker_key_returned": False})
    problem = assert_problem(refused, 409)
    assert "B7" in problem["detail"]
    assert snapshot(app) == before
    left = client.post(f"{API}/visits/{visit['id']}/leave", headers=headers,
                       json={"locker_key_returned": True})
    assert left.status_code == 200
    assert (left.get_json()["status"], left.get_json()["locker_key_returned"]) == ("left", True)
    assert left.get_json()["left_at"]


def test_locker_ticket_prints_at_the_tokens_station(app, client, api_headers):
    world = seed_world(app)
    headers = api_headers("reception", station="reception-2")
    client.post(f"{API}/visits", headers=headers,
                json={"customer_id": world["other_customer"], "locker_no": "B8"})
    jobs = client.get(f"{API}/print-jobs", headers=headers).get_json()["items"]
    assert (jobs[0]["document"], jobs[0]["station"]) == ("locker_ticket", "reception-2")
    assert jobs[1]["station"] == "reception"  # the world's visit, started without a station
