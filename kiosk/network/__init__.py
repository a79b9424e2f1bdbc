"""The kiosk in a network: anonymous xAPI statements to the network's Learning Record Store."""
