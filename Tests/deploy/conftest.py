import sys
from pathlib import Path

# Makes `import deploy_support` work however pytest is started (python3 -m pytest Tests/deploy).
sys.path.insert(0, str(Path(__file__).resolve().parent))
