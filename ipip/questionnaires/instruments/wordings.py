"""Item wording, shown on the entry page beside each item.

Only for items-stored instruments whose licence allows the wording on screen, and only
wording checked against at least two independent copies of the published form (found with
the project's search of public material; punctuation follows the majority of copies). No
wording here is written from memory: a paraphrase of a validated item changes the item.

- PHQ-9, GAD-7: Pfizer, no permission needed to reproduce or display.
- DASS-21: public domain; may be shown if unmodified.
- K10: free with citation of Kessler et al. 2002. The time frame (the last 4 weeks) is in
  the instrument's `about`; each item is the question asked within it.
- Not here: WEMWBS and SWEMWBS (use requires registration with Warwick; the wording is not
  shown, the practitioner reads the registered form), and every scores-only instrument.

An item with no wording here is shown as "Item N (read it from the paper form)".
"""

WORDINGS: dict[str, str] = {
    # PHQ-9 (over the last 2 weeks)
    "phq9.1": "Little interest or pleasure in doing things",
    "phq9.2": "Feeling down, depressed, or hopeless",
    "phq9.3": "Trouble falling or staying asleep, or sleeping too much",
    "phq9.4": "Feeling tired or having little energy",
    "phq9.5": "Poor appetite or overeating",
    "phq9.6": (
        "Feeling bad about yourself — or that you are a failure or have let yourself or your "
        "family down"
    ),
    "phq9.7": (
        "Trouble concentrating on things, such as reading the newspaper or watching television"
    ),
    "phq9.8": (
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
        "being so fidgety or restless that you have been moving around a lot more than usual"
    ),
    "phq9.9": "Thoughts that you would be better off dead or of hurting yourself in some way",
    # GAD-7 (over the last 2 weeks)
    "gad7.1": "Feeling nervous, anxious, or on edge",
    "gad7.2": "Not being able to stop or control worrying",
    "gad7.3": "Worrying too much about different things",
    "gad7.4": "Trouble relaxing",
    "gad7.5": "Being so restless that it is hard to sit still",
    "gad7.6": "Becoming easily annoyed or irritable",
    "gad7.7": "Feeling afraid as if something awful might happen",
    # DASS-21 (over the past week)
    "dass21.1": "I found it hard to wind down",
    "dass21.2": "I was aware of dryness of my mouth",
    "dass21.3": "I couldn't seem to experience any positive feeling at all",
    "dass21.4": (
        "I experienced breathing difficulty (eg, excessively rapid breathing, breathlessness "
        "in the absence of physical exertion)"
    ),
    "dass21.5": "I found it difficult to work up the initiative to do things",
    "dass21.6": "I tended to over-react to situations",
    "dass21.7": "I experienced trembling (eg, in the hands)",
    "dass21.8": "I felt that I was using a lot of nervous energy",
    "dass21.9": "I was worried about situations in which I might panic and make a fool of myself",
    "dass21.10": "I felt that I had nothing to look forward to",
    "dass21.11": "I found myself getting agitated",
    "dass21.12": "I found it difficult to relax",
    "dass21.13": "I felt down-hearted and blue",
    "dass21.14": "I was intolerant of anything that kept me from getting on with what I was doing",
    "dass21.15": "I felt I was close to panic",
    "dass21.16": "I was unable to become enthusiastic about anything",
    "dass21.17": "I felt I wasn't worth much as a person",
    "dass21.18": "I felt that I was rather touchy",
    "dass21.19": (
        "I was aware of the action of my heart in the absence of physical exertion (eg, sense "
        "of heart rate increase, heart missing a beat)"
    ),
    "dass21.20": "I felt scared without any good reason",
    "dass21.21": "I felt that life was meaningless",
    # K10 (over the last 4 weeks)
    "k10.1": "About how often did you feel tired out for no good reason?",
    "k10.2": "About how often did you feel nervous?",
    "k10.3": "About how often did you feel so nervous that nothing could calm you down?",
    "k10.4": "About how often did you feel hopeless?",
    "k10.5": "About how often did you feel restless or fidgety?",
    "k10.6": "About how often did you feel so restless you could not sit still?",
    "k10.7": "About how often did you feel depressed?",
    "k10.8": "About how often did you feel that everything was an effort?",
    "k10.9": "About how often did you feel so sad that nothing could cheer you up?",
    "k10.10": "About how often did you feel worthless?",
}

# Instruments whose wording may be shown (licence) and has been verified.
SHOWN: frozenset[str] = frozenset({"phq9", "gad7", "dass21", "k10"})


def wording(key: str) -> str | None:
    """The item's wording, or None when ipip does not show it (licence, or not verified)."""
    return WORDINGS.get(key)
