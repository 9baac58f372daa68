"""The agent and invitation routes of the Mini App API, faked in memory until `wfa serve` answers them.

FakeAgents.answer(method, path, query, body) returns (status, document) for those routes, or None for any other path.
"""
import copy
import itertools
import json

ACCESS = {  # workspace -> the agent keys its member may use
    "acme/main": ["voice", "customer_service"],
    "acme/ops": ["voice"],
}
AGENTS = {
    "voice": {"key": "voice", "name": "Voice agents", "category": "voice",
              "description": "Phone agents that answer and place calls"},
    "sales": {"key": "sales", "name": "Sales", "category": "sales",
              "description": "Proposals and mockups for billboard locations"},
    "customer_service": {"key": "customer_service", "name": "Customer service", "category": "customer_service",
                         "description": "Calls that need a follow-up"},
}
ACTIONS = {
    "voice": [{"action": "activate", "label": "Activate", "params": [{"name": "agent", "from": "agents.id"}]},
              {"action": "deactivate", "label": "Deactivate", "params": [{"name": "agent", "from": "agents.id"}]},
              {"action": "sync", "label": "Sync", "params": [{"name": "agent", "from": "agents.id"}]}],
    "sales": [{"action": "proposal", "label": "Make a proposal",
               "params": [{"name": "location", "from": "locations.key"}, {"name": "client", "label": "Client"}]}],
    "customer_service": [{"action": "close_follow_up", "label": "Close",
                          "params": [{"name": "follow_up", "from": "follow_ups.id"}, {"name": "note", "label": "Note"}]}],
}


def initial_data():
    return {
        "voice": {
            "agents": [
                {"id": "a1", "name": "Front desk", "provider": "vapi", "is_active": False, "sync_status": "synced",
                 "last_synced_at": "2025-05-01T09:30:00Z"},
                {"id": "a2", "name": "After hours <b>bold</b>", "provider": "retell", "is_active": True,
                 "sync_status": "synced", "last_synced_at": "2025-05-01T09:31:00Z"},
            ],
            "recent_calls": [
                {"id": "c1", "agent": "Front desk", "direction": "inbound", "status": "ended",
                 "started_at": "2025-05-02T10:00:00Z", "duration_seconds": 125, "phone": "+971501234567",
                 "summary": "Asked about prices"},
            ],
            "stats": {"calls": 1, "minutes": 2, "cost_cents": 37},
        },
        "sales": {"proposals": [], "mockups": [], "locations": [{"key": "szr-01", "name": "Sheikh Zayed Rd 01"}]},
        "customer_service": {"follow_ups": [
            {"id": "f1", "agent": "Front desk", "started_at": "2025-05-02T10:00:00Z", "phone": "+971501234567",
             "summary": "Wants a call back"}]},
    }


class FakeAgents:
    def __init__(self):
        self.data = {w: initial_data() for w in ACCESS}
        self.invitations = {w: [] for w in ACCESS}
        self.ids = itertools.count(1)
        self.posts = []  # (path, body) of every mutation
        self.data_reads = 0

    def answer(self, method, path, query, body):
        parts = path.strip("/").split("/")
        workspace = query.get("workspace", "")
        if parts[:2] == ["api", "agents"]:
            return self.agents(method, parts[2:], workspace, body)
        if parts[:3] == ["api", "org", "invitations"]:
            return self.invites(method, parts[3:], workspace, body)
        return None

    @staticmethod
    def error(status, category, message):
        return status, {"error": {"category": category, "message": message}}

    def agents(self, method, rest, workspace, body):
        if rest == ["accessible"] and method == "GET":
            spaces = [workspace] if workspace else list(ACCESS)
            return 200, {"agents": [dict(AGENTS[k], workspace=w, workspace_name=w) for w in spaces
                                    for k in ACCESS.get(w, [])]}
        if len(rest) != 2 or rest[0] not in AGENTS:
            return self.error(404, "not_found", "no such route")
        key = rest[0]
        if workspace not in ACCESS:
            return self.error(404, "not_found", "no workspace " + workspace)
        if key not in ACCESS[workspace]:
            return self.error(403, "permission", "you may not use the agent " + key + " in " + workspace)
        agent = {k: AGENTS[key][k] for k in ("key", "name", "category")}
        if rest[1] == "data" and method == "GET":
            self.data_reads += 1
            return 200, {"agent": agent, "workspace": workspace, "data": copy.deepcopy(self.data[workspace][key]),
                         "actions": ACTIONS[key]}
        if rest[1] == "actions" and method == "POST":
            self.posts.append(("/".join(rest), body))
            return self.act(workspace, key, body)
        return self.error(405, "usage", "use GET for data and POST for actions")

    def act(self, workspace, key, body):
        data = self.data[workspace][key]
        action = body.get("action")
        if key == "voice" and action in ("activate", "deactivate", "sync"):
            row = next((a for a in data["agents"] if a["id"] == body.get("agent")), None)
            if row is None:
                return self.error(404, "not_found", "no agent " + str(body.get("agent")))
            if action == "sync":
                row["sync_status"] = "synced"
            else:
                row["is_active"] = action == "activate"
            return 200, {"ok": True, "result": {"agent": row["id"], "is_active": row["is_active"]}}
        if key == "customer_service" and action == "close_follow_up":
            if not body.get("note"):
                return self.error(400, "invalid_input", "note: give a note")
            data["follow_ups"] = [f for f in data["follow_ups"] if f["id"] != body.get("follow_up")]
            return 200, {"ok": True, "result": {"closed": body.get("follow_up")}}
        return self.error(400, "invalid_input", "no action " + str(action) + " for " + key)

    def invites(self, method, rest, workspace, body):
        if not rest and method == "GET":
            if workspace not in ACCESS:
                return self.error(404, "not_found", "no workspace " + workspace)
            return 200, {"invitations": copy.deepcopy(self.invitations[workspace])}
        if not rest and method == "POST":
            workspace = body.get("workspace", "")
            if workspace not in ACCESS:
                return self.error(404, "not_found", "no workspace " + workspace)
            self.posts.append(("invitations", body))
            invitation = {"id": "inv-%d" % next(self.ids), "email": body.get("email"), "role": body.get("role"),
                          "status": "pending", "expires_at": "2030-01-01T00:00:00Z"}
            self.invitations[workspace].append(invitation)
            return 201, {"invitation": invitation}
        if len(rest) == 1 and method == "DELETE":
            for invitation in self.invitations.get(workspace, []):
                if invitation["id"] == rest[0] and invitation["status"] == "pending":
                    invitation["status"] = "revoked"
                    self.posts.append(("revoke", {"id": rest[0]}))
                    return 200, {"revoked": rest[0]}
            return self.error(404, "not_found", "no pending invitation " + rest[0])
        return self.error(405, "usage", "no such method")


if __name__ == "__main__":
    print(json.dumps(FakeAgents().answer("GET", "/api/agents/accessible", {"workspace": "acme/main"}, {})))
