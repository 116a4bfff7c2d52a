"""Simulated briefing officers changing filters: each user posts random theme, region and
layer changes to the view callback, as the browser would."""

import random

from locust import HttpUser, between, task

from bench.payloads import payload, random_filter_change, view_callback
from layers import LAYERS

THEMES = ["defence-cooperation", "domestic-security", "civil-security", "maritime-security",
          "environmental-crime"]
REGIONS = ["world", "indo-pacific", "indian-ocean", "pacific", "south-east-asia", "east-africa",
           "west-africa", "europe"]


class BriefingOfficer(HttpUser):
    wait_time = between(0.05, 0.2)

    def on_start(self):
        self.rng = random.Random()
        self.callback = view_callback(self.client.get("/_dash-dependencies").json())

    @task
    def change_filter(self):
        values, changed = random_filter_change(self.rng, THEMES, REGIONS, list(LAYERS))
        self.client.post("/_dash-update-component", json=payload(self.callback, values, changed),
                         name="filter callback")
