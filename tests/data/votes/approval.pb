META
key; value
description; Municipal PB in Exampletown, Nord (self-made test file in the Pabulib format)
country; Germany
unit; Exampletown
subunit; Nord
instance; 2024
num_projects; 5
num_votes; 10
budget; 2500
vote_type; approval
rule; greedy
min_length; 1
max_length; 3
date_begin; 16.09.2024
date_end; 04.10.2024
PROJECTS
project_id; cost; name; votes; selected; district
1; 600; Spielplatz am Weiher; 4; 1; Nord
2; 800; "Radweg; Abschnitt II"; 3; 0; Nord
4; 1400; """Grünes"" Klassenzimmer"; 6; 1; Nord
5; 1000; Bänke am Markt; 4; 0; Nord
7; 1200; Bücherschrank; 3; 0; Nord
VOTES
voter_id; age; sex; district; vote
1; 34; F; nord; 1,2,4
2; 51; M; nord; 1,2
3; 23; M; Süd; 2,4,5
4; 19; F; nord; 5,7
5; 62; F; sued; 1,4,7
6; 54; M; ; 1,7
7; 49; M; nord; 5
8; 27; F; nord; 4
9; 39; F; Atlantis; 4,5
10; 44; M; nord; 4
