"""The Compare halls screen: several sessions collated, their proposals decided, one report."""
