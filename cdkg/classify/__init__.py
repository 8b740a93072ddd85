"""Classification: the verdict, the initiative type, the reasons and the findings."""
