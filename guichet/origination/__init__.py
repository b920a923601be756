"""Origination: preparing a credit application — pricing from the catalogue, usury, the creditworthiness
assessment, the supervisor's exception (four eyes) and the pre-contractual information — for the back
office and the customer space alike."""
