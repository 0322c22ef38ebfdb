"""Where the integrator keeps the Synapse configuration rules read."""

from __future__ import annotations

# Relative to EI_HOME (the integrator's repository/ sits there); the node loader
# puts these files in Node.extra_xml under this prefix.
MESSAGE_PROCESSORS = (
    "repository/deployment/server/synapse-configs/default/message-processors"
)
